-- Electronic queue (електронна черга). A ticket row is the visit record: everything the monthly
-- reports need (times, administrator, window, group, service, purpose, priority category, source,
-- the rule that picked it, recalls, transfers, outcome). queue_events keeps each step of a visit;
-- its id is also the id of the live event sent to displays, so a reconnecting display resumes
-- from the last id it saw.
CREATE TABLE queue_tickets (
  id INTEGER PRIMARY KEY,
  center_id INTEGER NOT NULL REFERENCES centers(id),
  day TEXT NOT NULL,
  letter TEXT NOT NULL,
  seq INTEGER NOT NULL,
  number TEXT NOT NULL,
  token TEXT NOT NULL UNIQUE,
  group_id INTEGER NOT NULL REFERENCES service_groups(id),
  purpose TEXT NOT NULL,
  service_id INTEGER REFERENCES services(id),
  priority TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL,
  state TEXT NOT NULL,
  issued_at_ms INTEGER NOT NULL,
  booked_for_ms INTEGER,
  target_user_id INTEGER REFERENCES users(id),
  user_id INTEGER REFERENCES users(id),
  window_id INTEGER,
  window_number INTEGER NOT NULL DEFAULT 0,
  called_at_ms INTEGER NOT NULL DEFAULT 0,
  started_at_ms INTEGER NOT NULL DEFAULT 0,
  finished_at_ms INTEGER NOT NULL DEFAULT 0,
  recalls INTEGER NOT NULL DEFAULT 0,
  pick_rule TEXT,
  outcome TEXT,
  close_reason TEXT NOT NULL DEFAULT '',
  transfers TEXT NOT NULL DEFAULT '[]',
  UNIQUE (center_id, day, letter, seq)
);
-- The engine is rebuilt from the open tickets only, however many past visits there are.
CREATE INDEX queue_tickets_open ON queue_tickets(center_id) WHERE state IN ('waiting', 'called', 'serving');
CREATE INDEX queue_tickets_finished ON queue_tickets(center_id, finished_at_ms);

CREATE TABLE queue_events (
  id INTEGER PRIMARY KEY,
  center_id INTEGER NOT NULL REFERENCES centers(id),
  ticket_id INTEGER REFERENCES queue_tickets(id),
  at_ms INTEGER NOT NULL,
  type TEXT NOT NULL,
  user_id INTEGER,
  window_number INTEGER NOT NULL DEFAULT 0,
  details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX queue_events_ticket ON queue_events(ticket_id);
CREATE INDEX queue_events_center ON queue_events(center_id, id);

-- Administrators at windows: who sits where, available or paused, since when.
CREATE TABLE queue_positions (
  center_id INTEGER NOT NULL REFERENCES centers(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  status TEXT NOT NULL,
  pause_reason TEXT NOT NULL DEFAULT '',
  window_id INTEGER,
  window_number INTEGER NOT NULL DEFAULT 0,
  since_ms INTEGER NOT NULL,
  PRIMARY KEY (center_id, user_id)
);

-- A center's queue settings; a center without a row uses the defaults.
CREATE TABLE queue_settings (
  center_id INTEGER PRIMARY KEY REFERENCES centers(id),
  wait_limit_minutes INTEGER NOT NULL,
  recalls_before_no_show INTEGER NOT NULL,
  priority_categories TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

-- Idempotency-Key: the first answer to a command, returned again to a retry of it.
CREATE TABLE idempotency_keys (
  actor TEXT NOT NULL,
  key TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (actor, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_at_ms);
