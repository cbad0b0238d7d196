package io.hookflow.rules.criteria;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Comparisons with the meaning Python gives them, since StackStorm's operators are Python expressions on decoded JSON:
 * {@code 1 == 1.0} holds, {@code 1 == "1"} does not, and ordering across types is an error (so: no match).
 */
final class PythonValues {

    private PythonValues() {
    }

    /** Python {@code a == b} for JSON values; null stands for {@code None}. */
    static boolean equal(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == null && b == null;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isTextual() && b.isTextual()) {
            return a.textValue().equals(b.textValue());
        }
        if (a.isBoolean() && b.isBoolean()) {
            return a.booleanValue() == b.booleanValue();
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!equal(nullToNone(a.get(i)), nullToNone(b.get(i)))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> field : a.properties()) {
                if (!b.has(field.getKey()) || !equal(nullToNone(field.getValue()), nullToNone(b.get(field.getKey())))) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * Python ordering {@code a < b} (negative), {@code a > b} (positive); null when Python would raise a TypeError,
     * i.e. unless both are numbers or both are strings.
     */
    static Integer compare(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return null;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        if (a.isTextual() && b.isTextual()) {
            return a.textValue().compareTo(b.textValue());
        }
        return null;
    }

    /** Python {@code item in container}: a substring of a string, an element of a list, a key of a dict. */
    static boolean contains(JsonNode container, JsonNode item) {
        if (!containsDefined(container, item)) {
            return false;
        }
        if (container.isTextual()) {
            return container.textValue().contains(item.textValue());
        }
        if (container.isArray()) {
            for (JsonNode element : container) {
                if (equal(nullToNone(element), item)) {
                    return true;
                }
            }
            return false;
        }
        return item != null && item.isTextual() && container.has(item.textValue());
    }

    /** Whether Python can evaluate {@code item in container} at all, rather than raise a TypeError. */
    static boolean containsDefined(JsonNode container, JsonNode item) {
        if (container == null) {
            return false;
        }
        if (container.isTextual()) {
            return item != null && item.isTextual();
        }
        if (container.isArray()) {
            return true;
        }
        // Dict keys must be hashable: lists and dicts are not.
        return container.isObject() && (item == null || item.isValueNode());
    }

    static JsonNode nullToNone(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }
}
