-- The W3C trace id of the webhook's trace (docs/runbook.md): look the trace up in the tracing backend by it.
alter table trigger_instance add column trace_id text;
alter table rule_enforcement add column trace_id text;
