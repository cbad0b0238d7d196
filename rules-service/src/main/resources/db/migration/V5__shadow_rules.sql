-- A rule's mode: live rules send their requests; shadow rules are evaluated and rendered exactly as live ones and
-- their enforcements recorded (status 'shadowed', with the request they would have sent), but nothing is sent.
alter table rule add column mode text not null default 'live';
alter table rule add constraint rule_mode check (mode in ('live', 'shadow'));

-- The rendered request of a shadowed enforcement (secrets as ciphertext and sealed placeholders, as on action-tasks);
-- null for live ones, whose request travels to delivery-service and is recorded there.
alter table rule_enforcement add column request jsonb;
-- The rule comparison reads one rule's enforcements over a time range.
-- (rule_enforcement_by_rule on (org_id, rule_id, created_at desc) serves it.)
