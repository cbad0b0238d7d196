-- Webhooks created by id (POST /api/v1/webhooks). The secret signs requests to /trigger-webhooks/{id}; it is needed in
-- clear to compute HMACs, so it is never returned by the API.
create table webhook (
    id            uuid primary key,
    org_id        text        not null,
    name          text,
    description   text,
    secret        text,
    created_on    timestamptz not null,
    updated_on    timestamptz not null,
    created_by_id text        not null,
    updated_by_id text        not null
);

create index webhook_org on webhook (org_id, created_on);

-- Idempotency keys: one row per (organisation, key). A row is PENDING while its event is being published and DONE,
-- with the answer given, once the broker acknowledged it; a repeat is answered from a DONE row only.
create table idempotency_key (
    org_id              text        not null,
    idem_key            text        not null,
    trigger_instance_id uuid        not null,
    state               text        not null check (state in ('PENDING', 'DONE')),
    -- The 202 body as sent, kept as text so any payload the broker took can be replayed byte for byte.
    answer              text,
    created_at          timestamptz not null,
    updated_at          timestamptz not null,
    primary key (org_id, idem_key)
);

create index idempotency_key_created on idempotency_key (created_at);
