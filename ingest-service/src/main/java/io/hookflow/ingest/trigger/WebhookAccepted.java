package io.hookflow.ingest.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** The 202 answer: the trigger instance id to follow the event with, and what was accepted. */
public record WebhookAccepted(String id, String trigger, Instant receivedAt, JsonNode payload) {
}
