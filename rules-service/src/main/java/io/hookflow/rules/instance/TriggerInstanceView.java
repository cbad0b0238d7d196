package io.hookflow.rules.instance;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A trigger instance as the API shows it. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TriggerInstanceView(String id, String trigger, JsonNode parameters, JsonNode payload, String source, Instant receivedAt,
                                  Instant recordedAt, String status, String reason, int depth, String traceId) {

    public static TriggerInstanceView of(TriggerInstance instance) {
        return new TriggerInstanceView(instance.id, instance.trigger, instance.parameters, instance.payload, instance.sourceWebhook,
                instance.receivedAt, instance.recordedAt, instance.status, instance.reason, instance.depth,
                instance.traceId);
    }
}
