-- Accounts and access: centers (the registry issue extends this table), staff users and the
-- centers they act in, staff sessions, device tokens (kiosks, display boards), API tokens.
-- Tokens and session ids are stored as BLAKE2b hashes only.
CREATE TABLE centers (
  id INTEGER PRIMARY KEY,
  name_uk TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  created_at_ms INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  created_at_ms INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE user_centers (
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  center_id INTEGER NOT NULL REFERENCES centers(id),
  PRIMARY KEY (user_id, center_id)
);
CREATE INDEX user_centers_center ON user_centers(center_id);

CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  expires_at_ms INTEGER NOT NULL,
  address TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE devices (
  id INTEGER PRIMARY KEY,
  center_id INTEGER NOT NULL REFERENCES centers(id),
  purpose TEXT NOT NULL,
  label TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at_ms INTEGER NOT NULL,
  revoked_at_ms INTEGER
);
CREATE INDEX devices_center ON devices(center_id);

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  label TEXT NOT NULL,
  role TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at_ms INTEGER NOT NULL,
  revoked_at_ms INTEGER
);

CREATE TABLE api_token_centers (
  token_id INTEGER NOT NULL REFERENCES api_tokens(id) ON DELETE CASCADE,
  center_id INTEGER NOT NULL REFERENCES centers(id),
  PRIMARY KEY (token_id, center_id)
);
