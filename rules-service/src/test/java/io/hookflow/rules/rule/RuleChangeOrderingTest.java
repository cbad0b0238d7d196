package io.hookflow.rules.rule;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hookflow.common.event.RuleChange;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** ingest keys a trigger's events by trigger only while an ordered rule listens: the rule-changes record must say so. */
class RuleChangeOrderingTest {

    @Test
    void shouldTellIngestThatARuleWithAnOrderingKeyIsOrdered() {
        Rule rule = webhookRule();
        rule.orderingKey = "{{ trigger.body.repository.id }}";

        RuleChange change = RuleChangePublisher.changeOf(rule, 7);

        assertTrue(change.hasOrdering());
        assertTrue(change.ordered());
    }

    @Test
    void shouldLeaveARuleWithoutOrderingUnordered() {
        RuleChange change = RuleChangePublisher.changeOf(webhookRule(), 7);

        assertFalse(change.hasOrdering());
        assertNull(change.ordered(), "written as before ordered lanes, so older readers see the same record");
    }

    private static Rule webhookRule() {
        Rule rule = new Rule();
        rule.id = UUID.randomUUID();
        rule.orgId = "default";
        rule.pack = "p";
        rule.name = "r";
        rule.enabled = true;
        rule.triggerType = RuleDefinition.WEBHOOK_TRIGGER;
        rule.triggerParameters = JsonNodeFactory.instance.objectNode().put("url", "hook");
        return rule;
    }
}
