-- Executions parked behind an open circuit leave the due index: a long backlog behind a dead destination no longer
-- sits in front of every claim. Their probe is taken from them, oldest first, per destination.
drop index execution_due;
create index execution_due on execution (next_attempt_at) where status in ('PENDING', 'RETRYING') and not circuit_parked;
drop index execution_parked;
create index execution_parked on execution (org_id, destination, created_at) where circuit_parked;
