-- The queue gives the ids of new tickets and visit events itself, so it can write a command's rows
-- after the command (queue/service.cpp, refill_ids): each instance takes a block of 1,000 ids with
-- one nextval, and two instances never get the same block. Rows inserted without an id still get one.
ALTER TABLE queue_tickets ALTER COLUMN id SET INCREMENT BY 1000;
ALTER TABLE queue_events ALTER COLUMN id SET INCREMENT BY 1000;
