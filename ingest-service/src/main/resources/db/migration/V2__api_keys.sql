-- API keys (POST /api/v1/apikeys). Only the SHA-256 digest of a key is stored; the key itself is shown once, at
-- creation. Every change is also published to the compacted topic api-keys, from which every service learns keys.
create table api_key (
    id            uuid primary key,
    org_id        text        not null,
    name          text,
    -- SHA-256 of the key, base64url without padding.
    digest        text        not null unique,
    -- The key's first characters, to tell keys apart in a listing; far too few to guess the rest.
    hint          text        not null,
    enabled       boolean     not null,
    -- Grows with every change; readers of the topic ignore a record older than one they already have.
    revision      bigint      not null,
    created_on    timestamptz not null,
    updated_on    timestamptz not null,
    created_by_id text        not null,
    updated_by_id text        not null
);

create index api_key_org on api_key (org_id, created_on);
