package io.hookflow.rules.index;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A key under which Python-equal scalars meet ({@code 1 == 1.0}, {@code "a" == "a"}; a string never equals a number
 * and a boolean equals only a boolean, as in the equals operator). Null for values that are not indexed.
 */
final class EqualityKey {

    private EqualityKey() {
    }

    static String of(JsonNode value) {
        if (value == null) {
            return null;
        }
        if (value.isTextual()) {
            return "s:" + value.textValue();
        }
        if (value.isBoolean()) {
            return value.booleanValue() ? "b:true" : "b:false";
        }
        if (value.isNumber()) {
            try {
                // stripTrailingZeros makes equal numbers identical; toString (not toPlainString) stays short for 1e999999.
                return "n:" + value.decimalValue().stripTrailingZeros();
            } catch (RuntimeException notFinite) {
                return null;
            }
        }
        return null;
    }
}
