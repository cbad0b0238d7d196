-- Auto-disable (docs/delivery.md "Auto-disable"): a circuit remembers when its current streak of failures began; once
-- every attempt has failed for hookflow.delivery.auto-disable-after it becomes DISABLED (parked, never probed) until an
-- operator enables it. disabled_event_pending is the outbox of its hookflow.destination.disabled event: set in the
-- transaction that disables, cleared once the event is on the destination-events topic.
alter table destination_circuit
    add column failing_since timestamptz,
    add column disabled_at timestamptz,
    add column disabled_event_pending boolean not null default false;
-- Streaks under way before this version: counted from the last change, the latest they can have begun.
update destination_circuit set failing_since = coalesce(opened_at, updated_at) where consecutive_failures > 0;
create index destination_circuit_event_pending on destination_circuit (org_id, destination) where disabled_event_pending;
