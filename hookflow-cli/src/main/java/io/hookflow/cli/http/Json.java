package io.hookflow.cli.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookflow.cli.error.CliException;

/** JSON trees only (no data binding), so a native image needs no reflection configuration for them. */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** Parses text the user gave; malformed JSON is a usage error naming where it came from. */
    public static JsonNode parse(String text, String what) {
        try {
            JsonNode node = MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw CliException.usage(what + " is empty; give a JSON value");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw CliException.usage(what + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** The node as compact JSON text. */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }
}
