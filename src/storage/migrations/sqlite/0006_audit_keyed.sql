-- The keyed audit chain (src/audit/README.md): the first entry hashed with the key from the key
-- file (NULL: none yet; the entries before it are an unkeyed chain of an earlier version and keep
-- their rule), and the id of that key (a keyed hash of a constant, never the key itself).
ALTER TABLE audit_head ADD COLUMN keyed_from BIGINT;
ALTER TABLE audit_head ADD COLUMN key_id TEXT;
