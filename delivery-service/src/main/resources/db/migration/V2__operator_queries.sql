-- Operators filter executions by destination host within their organisation, case-insensitively.
create index execution_org_host on execution (org_id, lower(destination_host), created_at desc);
-- Stats read the attempts of a time window.
create index attempt_started on attempt (started_at);
