-- One row per task: its id is the task id, so a redelivered task cannot create a second execution.
create table execution (
    id                  uuid primary key,
    org_id              text        not null,
    rule_id             text,
    rule_ref            text,
    trigger_instance_id text,
    trigger_type        text,
    action_ref          text        not null,
    status              text        not null,
    request             jsonb       not null,
    destination_host    text,
    attempt_count       integer     not null default 0,
    next_attempt_at     timestamptz,
    lease_expires_at    timestamptz,
    last_error          text,
    created_at          timestamptz not null,
    updated_at          timestamptz not null,
    finished_at         timestamptz
);

-- The delivery worker's queue: due work, found without scanning finished executions.
create index execution_due on execution (next_attempt_at) where status in ('PENDING', 'RETRYING');
create index execution_leased on execution (lease_expires_at) where status = 'RUNNING';
-- Operators list newest first within their organisation.
create index execution_org_created on execution (org_id, created_at desc, id desc);

-- Every attempt is kept, with the request as sent (secrets redacted) and what came back.
create table attempt (
    id               uuid primary key,
    execution_id     uuid        not null references execution (id) on delete cascade,
    number           integer     not null,
    started_at       timestamptz not null,
    duration_ms      bigint      not null,
    request          jsonb       not null,
    response_status  integer,
    response_headers jsonb,
    response_body    text,
    error            text,
    outcome          text        not null,
    unique (execution_id, number)
);
