-- The executive discipline report (src/cases/discipline_store.cpp) reads, per center, the cases
-- still undecided (open now, or closed without a decision after the report's date) and those
-- decided since the month began.
--
-- The undecided ones are scattered over the years of the table, and every withdrawn or returned
-- case stays undecided for ever. cases_center_undecided keeps them apart, by when they were closed
-- (NULL: open), and holds every column the report reads, so they are read from it alone (decided_on
-- is always NULL in it: listed so that the condition itself is answered by the index).
CREATE INDEX cases_center_undecided
  ON cases(center_id, closed_on, registered_on, provider_id, service_id, service_version_id, due_on, decided_on)
  WHERE decided_on IS NULL;

-- The decided ones are a range of decision dates. cases_center_decided (0007) held the undecided
-- cases too, under decided_on = NULL, and a planner would rather take that equality than the range
-- above (on 1,000,000 cases: 158 ms instead of 17 ms for the same rows); decided cases only now.
DROP INDEX cases_center_decided;
CREATE INDEX cases_center_decided ON cases(center_id, decided_on) WHERE decided_on IS NOT NULL;
