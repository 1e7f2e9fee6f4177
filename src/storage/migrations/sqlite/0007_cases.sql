-- Applications and cases (звернення, справи): see src/cases/README.md. Ids are UUIDv7 text, so an
-- offline center node can upload its rows to the regional database without clashes; every row
-- carries its owning center. The applicant's personal data is one sealed blob (libsodium
-- secretbox, the key named by cases.key_file); only the initials and a keyed hash of the phone
-- are in the clear, for the tracking page and for finding a case by phone.
CREATE TABLE case_applications (
  id TEXT PRIMARY KEY,
  center_id INTEGER NOT NULL REFERENCES centers(id),
  life_situation_id INTEGER REFERENCES life_situations(id),
  channel TEXT NOT NULL,
  ticket_id INTEGER,
  applicant_kind TEXT NOT NULL,
  applicant_sealed TEXT NOT NULL,
  applicant_initials TEXT NOT NULL,
  phone_hash TEXT,
  registered_at_ms INTEGER NOT NULL,
  registered_by TEXT NOT NULL,
  anonymized_at_ms INTEGER
);
CREATE INDEX case_applications_phone ON case_applications(phone_hash);
CREATE INDEX case_applications_registered ON case_applications(registered_at_ms);

CREATE TABLE cases (
  id TEXT PRIMARY KEY,
  application_id TEXT NOT NULL REFERENCES case_applications(id),
  center_id INTEGER NOT NULL REFERENCES centers(id),
  number TEXT NOT NULL UNIQUE,
  public_token TEXT NOT NULL UNIQUE,
  service_id INTEGER NOT NULL REFERENCES services(id),
  service_version_id INTEGER NOT NULL REFERENCES service_versions(id),
  provider_id INTEGER NOT NULL REFERENCES providers(id),
  status TEXT NOT NULL,
  current_stage INTEGER NOT NULL DEFAULT 0,
  registered_on TEXT NOT NULL,
  registered_at_ms INTEGER NOT NULL,
  hand_over_due TEXT NOT NULL,
  due_on TEXT NOT NULL,
  decided_on TEXT,
  closed_on TEXT,
  pickup_until TEXT,
  term_days INTEGER NOT NULL,
  term_unit TEXT NOT NULL,
  clock_stops INTEGER NOT NULL,
  storage_days INTEGER NOT NULL,
  fee_kopiykas INTEGER NOT NULL DEFAULT 0,
  fee_paid INTEGER NOT NULL DEFAULT 0,
  updated_at_ms INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
-- A provider's work list: its open cases by deadline.
CREATE INDEX cases_provider_open ON cases(provider_id, center_id, due_on) WHERE decided_on IS NULL;
CREATE INDEX cases_center_status ON cases(center_id, status, due_on);
-- The executive discipline report: what was registered and decided when.
CREATE INDEX cases_center_registered ON cases(center_id, registered_on);
CREATE INDEX cases_center_decided ON cases(center_id, decided_on);
CREATE INDEX cases_application ON cases(application_id);

CREATE TABLE case_inventory (
  case_id TEXT NOT NULL REFERENCES cases(id),
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  from_card INTEGER NOT NULL,
  form TEXT NOT NULL,
  medium TEXT NOT NULL,
  pages INTEGER NOT NULL,
  received INTEGER NOT NULL,
  missing_reason TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (case_id, position)
);

CREATE TABLE case_stages (
  case_id TEXT NOT NULL REFERENCES cases(id),
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  responsible TEXT NOT NULL DEFAULT '',
  term_days INTEGER NOT NULL,
  term_unit TEXT NOT NULL,
  planned_on TEXT NOT NULL DEFAULT '',
  finished_on TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (case_id, position)
);

CREATE TABLE case_moves (
  id TEXT PRIMARY KEY,
  case_id TEXT NOT NULL REFERENCES cases(id),
  center_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  on_date TEXT NOT NULL,
  actor TEXT NOT NULL,
  actor_name TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  legal_basis TEXT NOT NULL DEFAULT '',
  new_deadline TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '',
  UNIQUE (case_id, seq)
);

-- Readable case numbers: one sequence per center and year.
CREATE TABLE case_counters (
  center_id INTEGER NOT NULL REFERENCES centers(id),
  year INTEGER NOT NULL,
  last INTEGER NOT NULL,
  PRIMARY KEY (center_id, year)
);

-- The rules of a service that decide a case's clock and the storage of its result.
ALTER TABLE service_versions ADD COLUMN clock_stops_when_suspended INTEGER NOT NULL DEFAULT 1;
ALTER TABLE service_versions ADD COLUMN storage_days INTEGER NOT NULL DEFAULT 30;

-- A provider employee works for one provider (суб'єкт надання).
ALTER TABLE users ADD COLUMN provider_id INTEGER REFERENCES providers(id);
