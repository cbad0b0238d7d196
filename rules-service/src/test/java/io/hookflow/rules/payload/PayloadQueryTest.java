package io.hookflow.rules.payload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Criteria keys resolved as StackStorm resolves them (jsonpath_rw, first match). The expected values in
 * {@link #shouldAnswerTheFirstMatchAsStackStormDoes} were taken from jsonpath_rw 1.4 on the same document.
 */
class PayloadQueryTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNode TRIGGER = read("""
            {"body": {"commits": [{"id": "c1", "author": {"name": "ann"}}, {"id": "c2", "author": null},
                                  {"id": "c3", "author": {"name": "bob"}}],
                      "obj": {"a": 1, "b": {"name": "deep"}}, "s": "str", "x-y": 5, "n": null, "name": "top",
                      "a.b": "dotted", "size()": "literal", "items": [10, 20, 30], "empty": []},
             "headers": {"x-github-event": "push"}}""");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "None", value = {
            "trigger.body.commits[*].author.name     | \"ann\"",
            "trigger.body.commits[*].id              | \"c1\"",
            "trigger..name                           | \"top\"",
            "trigger.body..name                      | \"top\"",
            "trigger.body.obj..name                  | \"deep\"",
            "trigger.body.commits[-1].id             | \"c3\"",
            "trigger.body.commits[1:].id             | \"c2\"",
            "trigger.body.commits[0:2].author.name   | \"ann\"",
            "trigger.body.obj.*                      | 1",
            "trigger.body.items[*]                   | 10",
            "trigger.body.commits[*].missing         | None",
            "trigger.body.empty[*]                   | None",
            "trigger.body.commits[5]                 | None",
            "trigger.body[\"x-y\"]                   | 5",
            "trigger.body.commits[*]['id']           | \"c1\"",
            "trigger.body.commits.[0].id             | \"c1\"",
            "trigger.body.items[:]                   | 10",
            "trigger.body.items[0, 2]                | 10",
            "trigger.body.items[-2:]                 | 20",
    })
    void shouldAnswerTheFirstMatchAsStackStormDoes(String key, String expected) {
        PayloadQuery query = PayloadQuery.parse(key);
        assertEquals(expected == null ? null : read(expected), query.resolve(TRIGGER));
        assertEquals("trigger", query.root());
    }

    @Test
    void shouldTakeAJsonNullFirstMatchAsNoneEvenWhenLaterOnesHaveValues() {
        // jsonpath_rw: [None, {'name': 'bob'}] -> the first, None.
        assertNull(PayloadQuery.parse("trigger.body.commits[1:].author").resolve(TRIGGER));
        assertNull(PayloadQuery.parse("trigger.body.n").resolve(TRIGGER));
    }

    @ParameterizedTest
    @ValueSource(strings = {"trigger.body.name", "trigger.body.commits.0.id", "trigger.body.commits[0].id",
            "trigger.body['a.b']", "trigger.body.\"a.b\"", "trigger.headers.x-github-event", "trigger.body.size()",
            "trigger.body.\"*\""})
    void shouldKeepPlainPathsOnThePathWalker(String key) {
        PayloadQuery query = PayloadQuery.parse(key);
        assertInstanceOf(PayloadPath.class, query);
        assertEquals(PayloadPath.parse(key).resolve(TRIGGER), query.resolve(TRIGGER));
    }

    @Test
    void shouldReadQuotedNamesAndDigitSegmentsInsideJsonPath() {
        assertEquals(read("\"dotted\""), PayloadQuery.parse("trigger.body.*.\"a.b\"").resolve(read("{\"body\": {\"x\": {\"a.b\": \"dotted\"}}}")));
        assertEquals(read("\"c2\""), PayloadQuery.parse("trigger..commits.1.id").resolve(TRIGGER));
        // A name that looks like a Jayway function call stays a name.
        assertEquals(read("\"literal\""), PayloadQuery.parse("trigger..['size()']").resolve(TRIGGER));
    }

    @Test
    void shouldIgnoreTheLabelAfterAHashAsStackStormDoes() {
        assertEquals(read("\"top\""), PayloadQuery.parse("trigger.body.name#first").resolve(TRIGGER));
        assertEquals(read("\"ann\""), PayloadQuery.parse("trigger.body.commits[*].author.name#2").resolve(TRIGGER));
        assertEquals(read("1"), PayloadQuery.parse("trigger.body.\"a#b\"").resolve(read("{\"body\": {\"a#b\": 1}}")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "trigger.body.commits[?(@.id == 'c1')].id | filters",
            "trigger..commits..id                     | at most one '..'",
            "trigger.body.items[1:2:3]                | unsupported '[1:2:3]'",
            "trigger.body.items[*                     | missing ']'",
            "trigger.body.*.                          | ends with '.'",
            "trigger.body.items[-]                    | unsupported '[-]'",
            "trigger.body.items[:-]                   | unsupported '[:-]'",
            "trigger.body.items[-99999999999]         | unsupported '[-99999999999]'",
            "trigger.body.*['x',]                     | not a valid JSONPath",
            "trigger.body.items[a]                    | unsupported '[a]'",
            "trigger.body.* x                         | unexpected ' '",
    })
    void shouldRefuseInvalidJsonPathNamingTheKey(String key, String problem) {
        PathSyntaxException refused = assertThrows(PathSyntaxException.class, () -> PayloadQuery.parse(key));
        assertTrue(refused.getMessage().contains(problem), refused.getMessage());
        assertTrue(refused.getMessage().contains(key), refused.getMessage());
    }

    @Test
    void shouldAnswerNothingForAMissingDocument() {
        assertNull(PayloadQuery.parse("trigger.body.commits[*].id").resolve(null));
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(json, e);
        }
    }
}
