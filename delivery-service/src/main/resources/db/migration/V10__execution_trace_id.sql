-- The W3C trace id of the webhook's trace, from the task record's traceparent (docs/runbook.md).
-- traceparent: the context of the delivery's intake span, so every attempt (on any replica, after any restart) is a
-- child of it in the same trace.
alter table execution add column trace_id text, add column traceparent text;
