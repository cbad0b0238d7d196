-- Signing keys delivery keeps per organisation (docs/delivery.md, "Signing keys and rotation"). An action refers to
-- them by id or as "all active keys" and its request then carries one webhook-signature entry per usable key.
-- private_key is sealed (enc:v1:, AES-GCM with the secrets key, as action secrets are) and never leaves the service;
-- public_key is the raw Ed25519 key in base64 (null for a symmetric key). Status follows from retire_at:
-- null = active, in the future = retiring (still signs), past = retired (signs no more, kept for the record).
create table signing_key (
    id          text        primary key,
    org_id      text        not null,
    algorithm   text        not null check (algorithm in ('ed25519', 'hmac-sha256')),
    public_key  text,
    private_key text        not null,
    created_at  timestamptz not null,
    retire_at   timestamptz
);
create index signing_key_org on signing_key (org_id, created_at desc);
