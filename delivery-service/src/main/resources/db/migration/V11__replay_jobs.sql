-- Bulk replays (POST /api/v1/executions/replay): one row per job with its filter, its progress and a keyset cursor over
-- the executions it walks (created_at, id), so a job survives a restart and resumes where it stopped. A lease makes one
-- replica at a time run it; a runner that dies lets the lease expire and another replica takes the job over.
create table replay_job (
    id                text        primary key,
    org_id            text        not null,
    statuses          text        not null,
    rule              text,
    destination       text,
    since             timestamptz not null,
    until             timestamptz not null,
    rate_per_second   integer     not null,
    status            text        not null,
    matched           bigint      not null default 0,
    queued            bigint      not null default 0,
    cursor_created_at timestamptz,
    cursor_id         uuid,
    lease_owner       text,
    lease_expires_at  timestamptz,
    error             text,
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    finished_at       timestamptz
);
-- Operators list their jobs newest first; runners look for running jobs nobody holds.
create index replay_job_org_created on replay_job (org_id, created_at desc, id desc);
create index replay_job_running on replay_job (created_at) where status = 'running';
