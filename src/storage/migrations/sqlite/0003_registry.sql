-- Registry of the network (реєстр ЦНАП і послуг): access points with their profile, opening hours
-- and windows; providers, service groups, services with versioned information and technological
-- cards; life situations; which services each access point offers; staff skills.
-- Every record carries `version` for optimistic concurrency (a stale version -> 409).
-- Service cards are versioned: a change inserts a new service_versions row with the date it takes
-- effect, so a case recorded earlier keeps pointing at the version it used.
ALTER TABLE centers ADD COLUMN code TEXT;
ALTER TABLE centers ADD COLUMN kind TEXT NOT NULL DEFAULT 'center';
ALTER TABLE centers ADD COLUMN parent_id INTEGER REFERENCES centers(id);
ALTER TABLE centers ADD COLUMN founding_body TEXT NOT NULL DEFAULT '';
ALTER TABLE centers ADD COLUMN founding_body_name TEXT NOT NULL DEFAULT '';
ALTER TABLE centers ADD COLUMN katottg TEXT;
ALTER TABLE centers ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE centers ADD COLUMN latitude REAL;
ALTER TABLE centers ADD COLUMN longitude REAL;
ALTER TABLE centers ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Europe/Kyiv';
ALTER TABLE centers ADD COLUMN floor_area_m2 REAL;
ALTER TABLE centers ADD COLUMN technical_condition INTEGER;
ALTER TABLE centers ADD COLUMN population_served INTEGER;
ALTER TABLE centers ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE centers ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE centers ADD COLUMN website TEXT NOT NULL DEFAULT '';
ALTER TABLE centers ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
ALTER TABLE centers ADD COLUMN updated_at_ms INTEGER;
CREATE UNIQUE INDEX centers_code ON centers(code);
CREATE INDEX centers_parent ON centers(parent_id);

-- Weekly opening hours: several intervals a day are allowed (a lunch break), overlaps are not.
CREATE TABLE center_hours (
  id INTEGER PRIMARY KEY,
  center_id INTEGER NOT NULL REFERENCES centers(id) ON DELETE CASCADE,
  weekday INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  opens TEXT NOT NULL,
  closes TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX center_hours_center ON center_hours(center_id, weekday);

-- Dated exceptions: a closed day, or other hours that day (a short pre-holiday day).
CREATE TABLE center_exceptions (
  id INTEGER PRIMARY KEY,
  center_id INTEGER NOT NULL REFERENCES centers(id) ON DELETE CASCADE,
  day TEXT NOT NULL,
  closed INTEGER NOT NULL DEFAULT 1,
  opens TEXT,
  closes TEXT,
  reason TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (center_id, day)
);

-- Numbered workplaces (вікна). A window is deactivated, never deleted: tickets refer to it.
CREATE TABLE windows (
  id INTEGER PRIMARY KEY,
  center_id INTEGER NOT NULL REFERENCES centers(id) ON DELETE CASCADE,
  number INTEGER NOT NULL,
  label TEXT NOT NULL DEFAULT '',
  active INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (center_id, number)
);

CREATE TABLE providers (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name_uk TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  website TEXT NOT NULL DEFAULT '',
  created_at_ms INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE service_groups (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name_uk TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  ticket_letter TEXT NOT NULL UNIQUE,
  sort_order INTEGER NOT NULL DEFAULT 0,
  created_at_ms INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

-- A service's identity; everything a citizen reads is in service_versions.
CREATE TABLE services (
  id INTEGER PRIMARY KEY,
  identifier TEXT NOT NULL UNIQUE,
  created_at_ms INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE service_versions (
  id INTEGER PRIMARY KEY,
  service_id INTEGER NOT NULL REFERENCES services(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  effective_from TEXT NOT NULL,
  group_id INTEGER NOT NULL REFERENCES service_groups(id),
  provider_id INTEGER NOT NULL REFERENCES providers(id),
  title_uk TEXT NOT NULL,
  title_en TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  result TEXT NOT NULL DEFAULT '',
  result_delivery TEXT NOT NULL DEFAULT '',
  fee_kopiykas INTEGER NOT NULL DEFAULT 0 CHECK (fee_kopiykas >= 0),
  payment_details TEXT NOT NULL DEFAULT '',
  term_days INTEGER NOT NULL,
  term_unit TEXT NOT NULL,
  term_set_by_law INTEGER NOT NULL DEFAULT 1,
  typical_minutes INTEGER NOT NULL DEFAULT 15,
  keywords TEXT NOT NULL DEFAULT '',
  search_text TEXT NOT NULL DEFAULT '',
  created_at_ms INTEGER NOT NULL,
  created_by TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (service_id, seq)
);
CREATE INDEX service_versions_current ON service_versions(service_id, effective_from);

CREATE TABLE service_documents (
  id INTEGER PRIMARY KEY,
  service_version_id INTEGER NOT NULL REFERENCES service_versions(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX service_documents_version ON service_documents(service_version_id);

CREATE TABLE service_legal_acts (
  id INTEGER PRIMARY KEY,
  service_version_id INTEGER NOT NULL REFERENCES service_versions(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  title TEXT NOT NULL,
  url TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX service_legal_acts_version ON service_legal_acts(service_version_id);

CREATE TABLE service_channels (
  service_version_id INTEGER NOT NULL REFERENCES service_versions(id) ON DELETE CASCADE,
  channel TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (service_version_id, channel)
);

CREATE TABLE service_purposes (
  service_version_id INTEGER NOT NULL REFERENCES service_versions(id) ON DELETE CASCADE,
  purpose TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (service_version_id, purpose)
);

-- The technological card: stages, each with the responsible unit and its own term.
CREATE TABLE service_stages (
  id INTEGER PRIMARY KEY,
  service_version_id INTEGER NOT NULL REFERENCES service_versions(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  responsible TEXT NOT NULL DEFAULT '',
  term_days INTEGER NOT NULL DEFAULT 0,
  term_unit TEXT NOT NULL DEFAULT 'working_days',
  version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX service_stages_version ON service_stages(service_version_id);

CREATE TABLE life_situations (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name_uk TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  created_at_ms INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE life_situation_services (
  life_situation_id INTEGER NOT NULL REFERENCES life_situations(id) ON DELETE CASCADE,
  service_id INTEGER NOT NULL REFERENCES services(id),
  position INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (life_situation_id, service_id)
);
CREATE INDEX life_situation_services_service ON life_situation_services(service_id);

-- Which services an access point offers (a remote workplace offers a subset).
CREATE TABLE center_services (
  center_id INTEGER NOT NULL REFERENCES centers(id) ON DELETE CASCADE,
  service_id INTEGER NOT NULL REFERENCES services(id),
  version INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (center_id, service_id)
);
CREATE INDEX center_services_service ON center_services(service_id);

-- Skills of an administrator in a center: the service groups they serve, primary or secondary.
-- The set is versioned as a whole through user_centers.skills_version.
ALTER TABLE user_centers ADD COLUMN skills_version INTEGER NOT NULL DEFAULT 1;
CREATE TABLE staff_skills (
  user_id INTEGER NOT NULL,
  center_id INTEGER NOT NULL,
  group_id INTEGER NOT NULL REFERENCES service_groups(id),
  level TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (user_id, center_id, group_id),
  FOREIGN KEY (user_id, center_id) REFERENCES user_centers(user_id, center_id) ON DELETE CASCADE
);
