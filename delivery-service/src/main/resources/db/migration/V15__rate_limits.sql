-- Token buckets shared by every replica: one row per organisation and destination (scope DESTINATION, key host:port)
-- or per rule (scope RULE, key the rule id). Claims take tokens from them in their own transaction (refill by the time
-- elapsed since refreshed_at, at most burst), so the rate holds however many replicas claim.
create table rate_limit (
    org_id                text             not null,
    scope                 text             not null,
    key                   text             not null,
    -- What an operator (or the rule) set; null for a bucket a 429 created on a destination without a limit.
    configured_per_second double precision,
    burst                 integer          not null,
    -- What the rate climbs back to after 429s: the configured rate, or where an adaptive bucket started.
    ceiling_per_second    double precision not null,
    -- The rate right after the last 429 halved it, and when; the current rate climbs from it (see RateLimits).
    throttled_per_second  double precision,
    throttled_at          timestamptz,
    -- A Retry-After pauses the destination: no token before this (refreshed_at is moved there, tokens to 0).
    paused_until          timestamptz,
    tokens                double precision not null,
    refreshed_at          timestamptz      not null,
    updated_at            timestamptz      not null,
    primary key (org_id, scope, key)
);
