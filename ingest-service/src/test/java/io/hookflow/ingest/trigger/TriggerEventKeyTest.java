package io.hookflow.ingest.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hookflow.common.event.TriggerEvent;
import org.junit.jupiter.api.Test;

/**
 * Ordered lanes rely on one trigger's events sharing a key, so that they share a partition in acceptance order; every
 * other trigger's events must keep spreading over the partitions (and the rules replicas) by their own ids.
 */
class TriggerEventKeyTest {

    @Test
    void shouldKeyEveryEventOfAnOrderedWebhookAlike() {
        TriggerEvent first = TriggerEvent.receivedAtWebhookUrl("acme", "repo/push", "10.0.0.1",
                JsonNodeFactory.instance.objectNode().put("n", 1));
        TriggerEvent second = TriggerEvent.receivedAtWebhookUrl("acme", "repo/push", "10.0.0.2",
                JsonNodeFactory.instance.objectNode().put("n", 2));

        assertNotEquals(first.id(), second.id());
        assertEquals(TriggerPublisher.keyOf(first, true), TriggerPublisher.keyOf(second, true));
    }

    @Test
    void shouldKeyOtherOrderedWebhooksAndOrganisationsApart() {
        TriggerEvent push = TriggerEvent.receivedAtWebhookUrl("acme", "repo/push", null,
                JsonNodeFactory.instance.objectNode());
        TriggerEvent tag = TriggerEvent.receivedAtWebhookUrl("acme", "repo/tag", null,
                JsonNodeFactory.instance.objectNode());
        TriggerEvent otherOrg = TriggerEvent.receivedAtWebhookUrl("globex", "repo/push", null,
                JsonNodeFactory.instance.objectNode());
        TriggerEvent byId = TriggerEvent.received("acme", "webhookId:42", null, null,
                JsonNodeFactory.instance.objectNode());

        assertNotEquals(TriggerPublisher.keyOf(push, true), TriggerPublisher.keyOf(tag, true));
        assertNotEquals(TriggerPublisher.keyOf(push, true), TriggerPublisher.keyOf(otherOrg, true));
        assertEquals("acme webhookId:42 ", TriggerPublisher.keyOf(byId, true));
    }

    @Test
    void shouldKeyEventsOfAWebhookWithoutOrderedRulesByTheirOwnIds() {
        TriggerEvent first = TriggerEvent.receivedAtWebhookUrl("acme", "repo/push", null,
                JsonNodeFactory.instance.objectNode().put("n", 1));
        TriggerEvent second = TriggerEvent.receivedAtWebhookUrl("acme", "repo/push", null,
                JsonNodeFactory.instance.objectNode().put("n", 2));

        assertEquals(first.id(), TriggerPublisher.keyOf(first, false));
        assertNotEquals(TriggerPublisher.keyOf(first, false), TriggerPublisher.keyOf(second, false));
    }
}
