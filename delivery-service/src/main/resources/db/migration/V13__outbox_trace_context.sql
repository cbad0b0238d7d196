-- The trace context of each event in an outbox row, a line per event aligned with events ("-" for none), so the relay
-- publishes each status event as a span of its webhook's trace without reading the execution again. Null in rows
-- written before this change or by a replica on the old version: their events are published without a context.
alter table execution_event_outbox add column traceparents text;
