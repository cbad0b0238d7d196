-- The status history moves into the execution's own row: the insert that creates an execution and the update that
-- changes its status append to it, instead of three more rows (and six index entries) per delivery in
-- execution_transition. One line per change: "<from or -> <to> <microseconds since the epoch>".
-- execution_transition stays readable (and writable by a replica still on the old version during a rolling upgrade):
-- the history an operator sees is both, merged by time.
alter table execution add column history text;
