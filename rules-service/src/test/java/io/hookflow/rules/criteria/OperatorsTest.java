package io.hookflow.rules.criteria;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.error.ApiError;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Every StackStorm operator, with the semantics of st2common/operators.py, against one trigger instance. Each row:
 * path under trigger.body, operator, pattern as JSON, expected outcome.
 */
class OperatorsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String BODY = """
            {"s": "Hello World", "n": 5, "f": 2.5, "b": true, "list": ["a", "b", 3], "obj": {"k": 1},
             "none": null, "ts_recent": "%s", "ts_old": "2001-01-01T00:00:00Z", "ts_bad": "yesterday",
             "multi": "line1\\nline2", "file": "build-42.tar.gz",
             "fields": [{"name": "Status", "to": "Approved"}, {"name": "Owner", "to": "ann"}]}
            """.formatted(Instant.now().minusSeconds(30));

    static boolean eval(String path, String type, String patternJson) throws Exception {
        String criteria = "{\"trigger.body." + path + "\": {\"type\": \"" + type + "\""
                + (patternJson == null ? "" : ", \"pattern\": " + patternJson) + "}}";
        List<ApiError.Detail> problems = new ArrayList<>();
        Criteria compiled = Criteria.compile(JSON.readTree(criteria), OperatorRegistry.standard(), "criteria", problems);
        assertTrue(problems.isEmpty(), problems.toString());
        return compiled.matches(JSON.readTree("{\"body\": " + BODY + "}"));
    }

    @ParameterizedTest(name = "{0} {1} {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            s      | equals      | "Hello World"   | true
            s      | eq          | "hello world"   | false
            n      | equals      | 5.0             | true
            n      | equals      | "5"             | false
            missing| nequals     | "x"             | true
            s      | neq         | "Hello World"   | false
            s      | iequals     | "HELLO world"   | true
            n      | ieq         | "5"             | false
            s      | contains    | "World"         | true
            list   | contains    | "b"             | true
            list   | contains    | 3               | true
            obj    | contains    | "k"             | true
            n      | contains    | 5               | false
            s      | ncontains   | "Mars"          | true
            s      | ncontains   | "World"         | false
            missing| ncontains   | "x"             | false
            s      | icontains   | "world"         | true
            list   | icontains   | "a"             | false
            s      | incontains  | "MARS"          | true
            s      | incontains  | "WORLD"         | false
            s      | startswith  | "Hello"         | true
            s      | istartswith | "hello"         | true
            s      | endswith    | "World"         | true
            s      | iendswith   | "WORLD"         | true
            s      | endswith    | "world"         | false
            n      | lessthan    | 10              | true
            n      | lt          | 5               | false
            f      | greaterthan | 2               | true
            n      | gt          | "1"             | false
            s      | gt          | "Apple"         | true
            file   | matchwildcard | "build-*.tar.gz" | true
            file   | matchwildcard | "build-??.tar.gz" | true
            file   | matchwildcard | "build-[0-9][!a-z].tar.gz" | true
            file   | matchwildcard | "build-*.zip"   | false
            s      | regex       | "o W"           | true
            s      | regex       | "^World"        | false
            s      | iregex      | "hello"         | true
            s      | matchregex  | "Hel+o"         | true
            s      | matchregex  | "World"         | false
            multi  | matchregex  | "line1.line2"   | true
            n      | regex       | "5"             | false
            ts_recent | timediff_lt | 3600         | true
            ts_recent | td_gt    | 3600            | false
            ts_old | timediff_gt | 3600            | true
            ts_old | td_lt       | 3600            | false
            ts_bad | timediff_lt | 3600            | false
            n      | timediff_lt | 3600            | false
            s      | inside      | ["Hello World", "x"] | true
            s      | in          | "Say Hello World!" | true
            n      | inside      | [1, 5]          | true
            n      | in          | "12345"         | false
            s      | ninside     | ["x"]           | true
            s      | nin         | ["Hello World"] | false
            missing| nin         | "abc"           | false
            """)
    void shouldEvaluateLikeStackStorm(String path, String type, String pattern, boolean expected) throws Exception {
        assertEquals(expected, eval(path, type, pattern));
    }

    @Test
    void shouldNotNeedAPatternForExistsAndNexists() throws Exception {
        assertTrue(eval("s", "exists", null));
        assertFalse(eval("none", "exists", null));
        assertTrue(eval("none", "nexists", null));
        assertTrue(eval("missing", "nexists", null));
        assertFalse(eval("n", "nexists", null));
    }

    @Test
    void shouldAcceptOperatorNamesInAnyCase() throws Exception {
        assertTrue(eval("s", "EQUALS", "\"Hello World\""));
    }

    @Test
    void shouldSearchListItemsWithEveryCondition() throws Exception {
        String both = "{\"item.name\": {\"type\": \"equals\", \"pattern\": \"Status\"}, "
                + "\"item.to\": {\"type\": \"equals\", \"pattern\": \"Approved\"}}";
        String either = "{\"item.name\": {\"type\": \"equals\", \"pattern\": \"Status\"}, "
                + "\"item.to\": {\"type\": \"equals\", \"pattern\": \"ann\"}}";
        assertTrue(search("any", both));
        assertFalse(search("all", both));
        assertFalse(search("any", either));
        assertTrue(search("any2any", either));
        assertTrue(search("all2any", either));
        assertFalse(search("all2any", both));
    }

    @Test
    void shouldGiveUpOnCatastrophicBacktrackingInsteadOfHanging() throws Exception {
        String evil = "a".repeat(40) + "!";
        List<ApiError.Detail> problems = new ArrayList<>();
        Criteria compiled = Criteria.compile(JSON.readTree("{\"trigger.v\": {\"type\": \"regex\", \"pattern\": \"^(a+)+$\"}}"),
                OperatorRegistry.standard(), "criteria", problems);
        assertFalse(compiled.matches(JSON.readTree("{\"v\": \"" + evil + "\"}")));
        assertTrue(compiled.matches(JSON.readTree("{\"v\": \"aaaa\"}")));
    }

    @Test
    void shouldRenderATemplatedPatternFromTheTrigger() throws Exception {
        List<ApiError.Detail> problems = new ArrayList<>();
        Criteria compiled = Criteria.compile(JSON.readTree(
                        "{\"trigger.body.actual\": {\"type\": \"equals\", \"pattern\": \"{{ trigger.body.expected }}\"}}"),
                OperatorRegistry.standard(), "criteria", problems);
        assertTrue(compiled.matches(JSON.readTree("{\"body\": {\"actual\": 7, \"expected\": 7}}")));
        assertFalse(compiled.matches(JSON.readTree("{\"body\": {\"actual\": 7, \"expected\": 8}}")));
        assertFalse(compiled.matches(JSON.readTree("{\"body\": {\"actual\": 7}}")));
    }

    @Test
    void shouldRejectABadSearchWithPaths() throws Exception {
        List<ApiError.Detail> problems = new ArrayList<>();
        Criteria.compile(JSON.readTree("{\"trigger.body.fields\": {\"type\": \"search\", \"condition\": \"some\", "
                + "\"pattern\": {\"trigger.name\": {\"type\": \"eq\", \"pattern\": 1}}}}"), OperatorRegistry.standard(),
                "criteria", problems);
        assertEquals(List.of("criteria.trigger.body.fields.condition", "criteria.trigger.body.fields.pattern.trigger.name"),
                problems.stream().map(ApiError.Detail::path).toList());
    }

    static boolean search(String condition, String items) throws Exception {
        return eval("fields", "search\", \"condition\": \"" + condition, items);
    }
}
