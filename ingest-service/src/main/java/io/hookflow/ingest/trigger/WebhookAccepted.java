package io.hookflow.ingest.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.common.event.TriggerEvent;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * The 202 answer: the trigger instance id to follow the event with, and what was accepted. Registered for reflection
 * because it travels inside a {@code Response}, where the native build cannot see its type.
 */
@RegisterForReflection
public record WebhookAccepted(String id, String trigger, Instant receivedAt, JsonNode payload) {

    public static WebhookAccepted of(TriggerEvent event) {
        return new WebhookAccepted(event.id(), event.trigger(), event.receivedAt(), event.payload());
    }
}
