-- One counter for every rule change in every organisation. Each change bumps it in its own transaction, which
-- (a) orders concurrent changes across replicas, (b) gives rule-changes a growing revision and (c) lets every replica
-- notice another replica's change by polling one row.
create table rule_revision (
    id       integer primary key check (id = 1),
    revision bigint  not null
);
insert into rule_revision (id, revision) values (1, 0);

-- Every consumed trigger event (StackStorm's trigger instance), as received.
create table trigger_instance (
    id             text        primary key,
    org_id         text        not null,
    trigger        text        not null,
    payload        jsonb       not null,
    source_webhook text,
    received_at    timestamptz not null,
    recorded_at    timestamptz not null,
    -- processed | no_rule_matched | failed | dropped
    status         text        not null,
    reason         text,
    depth          integer     not null
);
create index trigger_instance_newest on trigger_instance (org_id, received_at desc, id desc);
create index trigger_instance_by_trigger on trigger_instance (org_id, trigger, received_at desc, id desc);

-- One row per (trigger instance, matched rule): the execution it produced or why it failed.
create table rule_enforcement (
    id                  uuid        primary key,
    org_id              text        not null,
    trigger_instance_id text        not null,
    rule_id             uuid        not null,
    rule_ref            text        not null,
    -- succeeded | failed
    status              text        not null,
    execution_id        text,
    failure_reason      text,
    created_at          timestamptz not null,
    unique (trigger_instance_id, rule_id)
);
create index rule_enforcement_newest on rule_enforcement (org_id, created_at desc, id desc);
create index rule_enforcement_by_rule on rule_enforcement (org_id, rule_id, created_at desc);
