-- The destination (host:port) an execution goes to: the unit of the per-destination concurrency limit and circuit.
alter table execution add column destination text;
-- Parked by an open circuit: due again at once when the circuit closes, instead of at the probe time it was given.
alter table execution add column circuit_parked boolean not null default false;
-- Unfinished executions from before this version: host plus the URL's port, or the scheme's default.
update execution
set destination = destination_host || ':' || coalesce(
        substring(request ->> 'url' from '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@]*@)?(?:\[[^]]*\]|[^/?#:]*):([0-9]+)'),
        case when request ->> 'url' ilike 'https:%' then '443' else '80' end)
where destination_host is not null and status in ('PENDING', 'RETRYING', 'RUNNING');
create index execution_parked on execution (org_id, destination) where circuit_parked;

-- One circuit per organisation and destination, shared by every replica: consecutive failures open it; while open,
-- due executions are parked until next_probe_at, when one probe is let through (HALF_OPEN) and its result decides.
create table destination_circuit (
    org_id               text        not null,
    destination          text        not null,
    state                text        not null,
    consecutive_failures integer     not null default 0,
    last_error           text,
    opened_at            timestamptz,
    next_probe_at        timestamptz,
    updated_at           timestamptz not null,
    primary key (org_id, destination)
);
create index destination_circuit_not_closed on destination_circuit (destination) where state <> 'CLOSED';
