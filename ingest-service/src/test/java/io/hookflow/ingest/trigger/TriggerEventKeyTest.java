package io.hookflow.ingest.trigger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hookflow.common.event.TriggerEvent;
import org.junit.jupiter.api.Test;

/** Ordered lanes rely on one trigger's events sharing a key, so that they share a partition in acceptance order. */
class TriggerEventKeyTest {

    @Test
    void shouldKeyEveryEventOfOneWebhookAlike() {
        TriggerEvent first = TriggerEvent.receivedAtWebhookUrl("acme", "repo/push", "10.0.0.1",
                JsonNodeFactory.instance.objectNode().put("n", 1));
        TriggerEvent second = TriggerEvent.receivedAtWebhookUrl("acme", "repo/push", "10.0.0.2",
                JsonNodeFactory.instance.objectNode().put("n", 2));

        assertNotEquals(first.id(), second.id());
        assertEquals(TriggerPublisher.keyOf(first), TriggerPublisher.keyOf(second));
    }

    @Test
    void shouldKeyOtherWebhooksAndOrganisationsApart() {
        TriggerEvent push = TriggerEvent.receivedAtWebhookUrl("acme", "repo/push", null,
                JsonNodeFactory.instance.objectNode());
        TriggerEvent tag = TriggerEvent.receivedAtWebhookUrl("acme", "repo/tag", null,
                JsonNodeFactory.instance.objectNode());
        TriggerEvent otherOrg = TriggerEvent.receivedAtWebhookUrl("globex", "repo/push", null,
                JsonNodeFactory.instance.objectNode());
        TriggerEvent byId = TriggerEvent.received("acme", "webhookId:42", null, null,
                JsonNodeFactory.instance.objectNode());

        assertNotEquals(TriggerPublisher.keyOf(push), TriggerPublisher.keyOf(tag));
        assertNotEquals(TriggerPublisher.keyOf(push), TriggerPublisher.keyOf(otherOrg));
        assertEquals("acme webhookId:42 ", TriggerPublisher.keyOf(byId));
    }
}
