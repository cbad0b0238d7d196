package io.hookflow.common.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Finds strings that hold half of a surrogate pair. Jackson decodes a {@code \ud800} escape without complaint, but such
 * a string is not Unicode text: PostgreSQL's jsonb refuses it and a UTF-8 encoder turns it into '?', so an event
 * carrying one could not be recorded faithfully downstream.
 */
public final class LoneSurrogates {

    private LoneSurrogates() {
    }

    /** Where the first lone surrogate is ("a key at payload.x", "the value at payload.x"), or null when there is none. */
    public static String find(JsonNode node) {
        return find(node, "$");
    }

    private static String find(JsonNode node, String path) {
        if (node.isTextual()) {
            return isLone(node.textValue()) ? "the value at " + path : null;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = find(node.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (isLone(field.getKey())) {
                    return "a key of the object at " + path;
                }
                String found = find(field.getValue(), path + "." + field.getKey());
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    public static boolean isLone(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
