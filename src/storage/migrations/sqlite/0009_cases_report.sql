-- The executive discipline report (src/cases/discipline_store.cpp) reads, per center, the cases
-- still undecided (open now, or closed without a decision after the report's date) and those
-- decided since the month began. The second is a range of cases_center_decided; the first would
-- otherwise scan every undecided case ever closed (withdrawn, returned without review), which
-- only grows. This index keeps the undecided ones apart, by when they were closed (NULL: open).
CREATE INDEX cases_center_undecided ON cases(center_id, closed_on, registered_on) WHERE decided_on IS NULL;
