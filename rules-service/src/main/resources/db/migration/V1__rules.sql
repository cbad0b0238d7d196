-- A rule belongs to one organisation; its ref (pack.name) is unique there, as in StackStorm.
create table rule (
    id                 uuid primary key,
    org_id             text        not null,
    pack               text        not null,
    name               text        not null,
    description        text,
    enabled            boolean     not null,
    trigger_type       text        not null,
    trigger_parameters jsonb       not null,
    criteria           jsonb       not null,
    action_ref         text        not null,
    action_parameters  jsonb       not null,
    -- Bumped on every change, so compiled criteria cached by (id, version) are never stale.
    version            integer     not null,
    created_at         timestamptz not null,
    updated_at         timestamptz not null,
    unique (org_id, pack, name)
);

-- The hot path: the enabled rules of one trigger type in one organisation.
create index rule_trigger on rule (org_id, trigger_type) where enabled;
