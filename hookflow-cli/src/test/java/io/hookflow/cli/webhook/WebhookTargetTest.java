package io.hookflow.cli.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WebhookTargetTest {

    @Test
    void shouldSendAnIdToTheTriggerWebhookRoute() {
        assertEquals("/api/v1/trigger-webhooks/0b6e2c1e-7c39-4c33-9d61-0f3e7f5c2a10",
                WebhookTarget.resolve("0b6e2c1e-7c39-4c33-9d61-0f3e7f5c2a10"));
    }

    @Test
    void shouldSendANameToTheWebhooksRouteSegmentBySegment() {
        assertEquals("/api/v1/webhooks/st2", WebhookTarget.resolve("st2"));
        assertEquals("/api/v1/webhooks/github/push", WebhookTarget.resolve("/github/push/".substring(1)));
        assertEquals("/api/v1/webhooks/a%20b/c", WebhookTarget.resolve("a b/c"));
    }

    @Test
    void shouldKeepPathsAndFullUrlsAsGiven() {
        assertEquals("/api/v1/webhooks/github/push", WebhookTarget.resolve("/api/v1/webhooks/github/push"));
        assertEquals("https://hooks.example.com/api/v1/webhooks/st2",
                WebhookTarget.resolve("https://hooks.example.com/api/v1/webhooks/st2"));
        assertTrue(WebhookTarget.isAbsolute(WebhookTarget.resolve("HTTP://x/y")));
        assertFalse(WebhookTarget.isAbsolute(WebhookTarget.resolve("st2")));
    }
}
