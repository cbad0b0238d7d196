package io.hookflow.rules.payload;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;

/**
 * A criteria key that is real JSONPath ({@code trigger.body.commits[*].author.name}, {@code trigger..name},
 * {@code trigger.body.items[-1]}), evaluated by Jayway JsonPath on the payload's Jackson tree as it is (no conversion).
 * Like StackStorm it answers the first match in document order.
 */
final class JsonPathQuery implements PayloadQuery {

    /**
     * Jackson trees in and out; every result a list (so "no match" is an empty list, never an exception), and a step
     * that meets the wrong kind of value yields nothing instead of failing.
     */
    private static final Configuration JACKSON_TREES = Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider())
            .mappingProvider(new JacksonMappingProvider())
            .options(Option.ALWAYS_RETURN_LIST, Option.SUPPRESS_EXCEPTIONS)
            .build();

    private final String source;
    private final String root;
    private final JsonPath path;

    private JsonPathQuery(String source, String root, JsonPath path) {
        this.source = source;
        this.root = root;
        this.path = path;
    }

    static JsonPathQuery parse(String key) {
        CriteriaKeySyntax.Translated translated = CriteriaKeySyntax.translate(key);
        try {
            return new JsonPathQuery(key, translated.root(), JsonPath.compile(translated.jaywayPath()));
        } catch (InvalidPathException e) {
            // Jayway's message speaks of its own syntax (positions in the rewritten path, Java exception names).
            throw new PathSyntaxException("not a valid JSONPath: '" + key + "'");
        }
    }

    @Override
    public String root() {
        return root;
    }

    @Override
    public JsonNode resolve(JsonNode document) {
        if (document == null) {
            return null;
        }
        Object matches = path.read(document, JACKSON_TREES);
        if (!(matches instanceof JsonNode list) || !list.isArray() || list.isEmpty()) {
            return null;
        }
        JsonNode first = list.get(0);
        return first == null || first.isNull() || first.isMissingNode() ? null : first;
    }

    @Override
    public String toString() {
        return source;
    }
}
