-- The notification outbox (src/notify/README.md): a message is written in the same transaction as
-- the change it tells about (a case's move), so it exists if and only if that change committed;
-- the worker sends it later and records every attempt. The recipient (a phone or an e-mail
-- address) is sealed (src/seal); a body must hold no personal data beyond the case number.
CREATE TABLE notify_messages (
  id TEXT PRIMARY KEY,
  center_id BIGINT NOT NULL REFERENCES centers(id),
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'viber')),
  recipient_sealed TEXT NOT NULL,
  subject TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  template_code TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
  attempts BIGINT NOT NULL DEFAULT 0,
  -- When the worker may next try (pending only); while a worker sends, pushed on by its lease.
  next_attempt_at_ms BIGINT,
  created_at_ms BIGINT NOT NULL,
  sent_at_ms BIGINT
);
CREATE INDEX notify_messages_due ON notify_messages(next_attempt_at_ms) WHERE status = 'pending';
CREATE INDEX notify_messages_object ON notify_messages(object_type, object_id);

CREATE TABLE notify_attempts (
  message_id TEXT NOT NULL REFERENCES notify_messages(id),
  n BIGINT NOT NULL,
  at_ms BIGINT NOT NULL,
  ok BIGINT NOT NULL,
  error TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (message_id, n)
);
