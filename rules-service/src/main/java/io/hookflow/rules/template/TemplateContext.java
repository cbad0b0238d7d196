package io.hookflow.rules.template;

import com.fasterxml.jackson.databind.JsonNode;

/** What templates read: the trigger instance ({@code trigger.*}) and the key-value datastore ({@code st2kv.*}). */
public record TemplateContext(JsonNode trigger, KeyValues keyValues) {

    /** The trigger instance alone: reading {@code st2kv} fails, as there is no datastore. */
    public static TemplateContext of(JsonNode trigger) {
        return new TemplateContext(trigger, KeyValues.NONE);
    }
}
