package io.hookflow.rules.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;

/** Renders a template against a trigger instance written as JSON, as enforcement does. */
public final class Render {

    static final ObjectMapper JSON = new ObjectMapper();

    private Render() {
    }

    public static JsonNode json(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The template's text for a trigger instance {@code {"body": body}}. */
    public static String text(String template, String body) {
        return Templates.compile(template).render(TemplateContext.of(json("{\"body\": " + body + "}")),
                RenderBudget.standalone());
    }

    /** The template's value (a body field) for a trigger instance {@code {"body": body}}. */
    public static JsonNode value(String template, String body) {
        return Templates.compile(template).renderValue(TemplateContext.of(json("{\"body\": " + body + "}")),
                RenderBudget.standalone());
    }
}
