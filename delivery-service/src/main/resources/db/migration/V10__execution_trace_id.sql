-- The W3C trace id of the webhook's trace, from the task record's traceparent (docs/runbook.md).
alter table execution add column trace_id text;
