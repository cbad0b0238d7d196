package io.hookflow.rules.criteria;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * One StackStorm comparison. Implementations never throw on odd input: a value or pattern of the wrong type simply does
 * not match, as in StackStorm where the operator's exception is caught and the rule does not apply.
 */
public interface CriteriaOperator {

    /**
     * @param value   the payload value, or null when it is absent or JSON null
     * @param pattern the criterion's pattern, or null when none was given
     */
    boolean test(JsonNode value, JsonNode pattern);

    /** Whether a rule must give a pattern (false for {@code exists}-style operators). */
    default boolean requiresPattern() {
        return true;
    }

    /** A problem with the pattern that would make the criterion never match, found when the rule is saved. */
    default Optional<String> checkPattern(JsonNode pattern) {
        return Optional.empty();
    }
}
