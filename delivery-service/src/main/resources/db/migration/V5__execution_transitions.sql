-- Every status change of an execution, kept for operators: the outbox rows leave once relayed to Kafka, these stay.
-- Written by the same batch that writes the outbox row, so history and events never disagree.
create table execution_transition (
    id           bigserial   primary key,
    execution_id uuid        not null,
    from_status  text,
    to_status    text        not null,
    at           timestamptz not null
);
create index execution_transition_by_execution on execution_transition (execution_id, id);
