-- The depth of the task that caused the execution, carried into its status events.
alter table execution add column depth integer not null default 0;

-- Transactional outbox: a status change and its event commit together, so a crash between the database and Kafka
-- cannot lose the event. The relay publishes rows in id order and deletes them once the broker acknowledged them.
create table execution_event_outbox (
    id           bigserial   primary key,
    execution_id uuid        not null,
    payload      jsonb       not null,
    created_at   timestamptz not null
);
