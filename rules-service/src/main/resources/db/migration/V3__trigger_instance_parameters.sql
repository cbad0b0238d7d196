-- A trigger's parameters are part of its identity (StackStorm): the url a rule-registered webhook was received at.
alter table trigger_instance add column parameters jsonb;
