-- Ordered lanes (docs/delivery.md, Ordered lanes): a rule's ordering key template, rendered per trigger instance like
-- its other templates. Executions of the rule with the same rendered key are delivered one after the other in
-- trigger-instance order. Null: the rule is unordered (the default, and every rule before this column).
alter table rule add column ordering_key text;
