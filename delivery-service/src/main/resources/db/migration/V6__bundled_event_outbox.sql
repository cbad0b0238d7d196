-- One outbox row per transaction instead of one per event: a burst of deliveries writes (and the relay deletes) a row
-- per recorded batch, not three per delivery. events holds a line per event, in order: "<execution id> <event JSON>".
-- Rows with one event in execution_id and payload stay valid: written before this change, or by a replica still on
-- the old version during a rolling upgrade, they are relayed the same way.
alter table execution_event_outbox add column events text;
alter table execution_event_outbox alter column execution_id drop not null;
alter table execution_event_outbox alter column payload drop not null;
