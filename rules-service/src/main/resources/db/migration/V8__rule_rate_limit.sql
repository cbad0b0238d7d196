-- A rule's own rate limit (rule-level rate_limit: {per_second, burst}): requests per second for all its executions
-- together. Carried on each task's request to delivery-service, which keeps the token bucket (keyed by the rule id).
-- Null: no limit of the rule's own (a destination's limit still applies).
alter table rule add column rate_limit_per_second double precision;
alter table rule add column rate_limit_burst integer;
