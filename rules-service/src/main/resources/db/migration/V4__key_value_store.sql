-- StackStorm's datastore: shared values and secrets that rules read in templates as st2kv.system.<name> and
-- st2kv.user.<name>. Scoped per organisation; a user-scoped key also names its user ('' for system keys).
create table key_value (
    org_id     text        not null,
    scope      text        not null check (scope in ('system', 'user')),
    user_name  text        not null,
    name       text        not null,
    -- A secret's value is SecretCipher ciphertext (enc:v1:...), never plaintext.
    value      text        not null,
    secret     boolean     not null,
    expires_at timestamptz,
    created_at timestamptz not null,
    updated_at timestamptz not null,
    primary key (org_id, scope, user_name, name)
);
create index key_value_expiry on key_value (expires_at) where expires_at is not null;

-- Bumped by every change in the change's own transaction: replicas poll this one row to notice other replicas' changes
-- (as rule_revision does for rules), and concurrent changes are serialised.
create table key_value_revision (
    id       integer primary key check (id = 1),
    revision bigint  not null
);
insert into key_value_revision (id, revision) values (1, 0);
