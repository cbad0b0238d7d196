package io.hookflow.rules.payload;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A criteria key: where a criterion looks in the trigger instance. StackStorm reads criteria keys as JSONPath and takes
 * the first match (st2common's {@code PayloadLookup.get_value}, st2reactor's {@code RuleFilter}); no match is Python
 * {@code None}, as is a JSON null. A key that is a plain path ({@code trigger.body.a.b}, {@code trigger.body.items[0]})
 * is a {@link PayloadPath}, followed step by step; one with a wildcard, a descendant scan or a slice
 * ({@code trigger.body.commits[*].author.name}, {@code trigger..name}, {@code trigger.body.items[-1]}) is a
 * {@link JsonPathQuery}.
 */
public sealed interface PayloadQuery permits PayloadPath, JsonPathQuery {

    /**
     * Parses a criteria key. Text after a {@code #} outside quotes is a label, as in StackStorm, so that one rule can
     * test the same field twice ({@code trigger.body.n#min}, {@code trigger.body.n#max}).
     *
     * @throws PathSyntaxException when the key is neither a path nor a supported JSONPath
     */
    static PayloadQuery parse(String key) {
        String path = CriteriaKeySyntax.withoutLabel(key);
        return CriteriaKeySyntax.isPlainPath(path) ? PayloadPath.parse(path) : JsonPathQuery.parse(path);
    }

    /** The name of the root the key starts from, e.g. {@code trigger}. */
    String root();

    /** The first value the key selects below its root, or null when it selects nothing or JSON null. */
    JsonNode resolve(JsonNode root);
}
