-- Ordered lanes (docs/delivery.md, Ordered lanes). An execution of an ordered rule carries its lane (rule id and
-- rendered ordering key) and its place in it, taken from a sequence at intake in intake order; a redelivered task
-- keeps the first row, so its first place. Null lane: unordered, as every execution before this migration.
alter table execution add column lane text;
alter table execution add column lane_seq bigint;
create sequence execution_lane_seq;

-- A lane's unfinished executions in lane order: the claim finds each lane's head with one probe per lane, however
-- long its backlog. Finished rows leave the index.
create index execution_lane_open on execution (lane, lane_seq)
    where lane is not null and status in ('PENDING', 'RUNNING', 'RETRYING');

-- The unordered due index holds no lane rows, so a long lane backlog costs the unordered claim nothing.
drop index execution_due;
create index execution_due on execution (next_attempt_at)
    where status in ('PENDING', 'RETRYING') and not circuit_parked and lane is null;
