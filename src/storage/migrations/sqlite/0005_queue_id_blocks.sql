-- Nothing to change here: on SQLite one process owns the database file, and the queue counts its
-- new ticket and event ids on from the largest (queue/service.cpp, refill_ids). The file keeps the
-- numbering of both dialects the same.
SELECT 1;
