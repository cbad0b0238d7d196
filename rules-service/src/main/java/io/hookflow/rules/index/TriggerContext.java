package io.hookflow.rules.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookflow.common.event.TriggerEvent;

/**
 * What criteria and templates call {@code trigger}: the trigger instance's payload. For StackStorm's generic st2 webhook
 * the payload is what the caller sent as {@code payload}, addressed as {@code trigger.attribute1}; rules written against
 * the whole request body may also say {@code trigger.payload.attribute1} or {@code trigger.body.payload.attribute1}
 * (unless the payload has such keys itself, which then win).
 */
public final class TriggerContext {

    static final String ST2_WEBHOOK = "st2";

    private TriggerContext() {
    }

    public static JsonNode of(TriggerEvent event) {
        JsonNode payload = event.payload() == null ? JsonNodeFactory.instance.objectNode() : event.payload();
        if (event.source() == null || !ST2_WEBHOOK.equals(event.source().webhook()) || !payload.isObject()) {
            return payload;
        }
        // A shallow copy: the payload's values are shared, never changed.
        ObjectNode context = JsonNodeFactory.instance.objectNode();
        context.setAll((ObjectNode) payload);
        if (!context.has("payload")) {
            context.set("payload", payload);
        }
        if (!context.has("body")) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("trigger", event.trigger());
            body.set("payload", payload);
            context.set("body", body);
        }
        return context;
    }
}
