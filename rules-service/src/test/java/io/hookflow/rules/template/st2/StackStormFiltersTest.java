package io.hookflow.rules.template.st2;

import static io.hookflow.rules.template.Render.json;
import static io.hookflow.rules.template.Render.text;
import static io.hookflow.rules.template.Render.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.rules.template.RenderFailedException;
import org.junit.jupiter.api.Test;

/**
 * StackStorm's filters with StackStorm's results: the cases of st2common/tests/unit/test_jinja_render_*_filters.py,
 * and the edges where Python differs from Java.
 */
class StackStormFiltersTest {

    private static String render(String template, String body) {
        return text(template, body);
    }

    @Test
    void shouldReadAndWriteJsonAsPythonDoes() {
        String body = "{\"o\": {\"a\": \"b\", \"c\": {\"d\": \"e\", \"f\": 1, \"g\": true}}, \"s\": \"\\u00e9\"}";
        assertEquals(json("{\"a\": \"b\", \"c\": {\"d\": \"e\", \"f\": 1, \"g\": true}}"),
                json(render("{{ trigger.body.o | to_json_string }}", body)));
        // st2 passes separators=(",", ": "); json.dumps escapes non-ASCII.
        assertEquals("{\"a\": \"b\",\"c\": {\"d\": \"e\",\"f\": 1,\"g\": true}}",
                render("{{ trigger.body.o | to_json_string }}", body));
        assertEquals("{\n  \"a\": \"b\",\n  \"c\": {\n    \"d\": \"e\",\n    \"f\": 1,\n    \"g\": true\n  }\n}",
                render("{{ trigger.body.o | to_json_string(indent=2) }}", body));
        assertEquals("{\"a\": 2,\"b\": 1}", render("{{ trigger.body.r | to_json_string(sort_keys=True) }}",
                "{\"r\": {\"b\": 1, \"a\": 2}}"));
        assertEquals("\"\\u00e9\"", render("{{ trigger.body.s | to_json_string }}", body));
        assertEquals("{\"a\": \"b\", \"c\": {\"d\": \"e\", \"f\": 1, \"g\": true}}",
                render("{{ trigger.body.o | to_complex }}", body));
        assertEquals("{'a': 'b', 'c': {'d': 'e', 'f': 1, 'g': True}}",
                render("{{ '{\"a\": \"b\", \"c\": {\"d\": \"e\", \"f\": 1, \"g\": true}}' | from_json_string }}", body));
        assertThrows(RenderFailedException.class, () -> render("{{ 'not json' | from_json_string }}", body));
    }

    @Test
    void shouldReadAndWriteYamlAsPyYamlDoes() {
        assertEquals("{'a': 'b', 'c': {'d': 'e', 'f': 1, 'g': True}}",
                render("{{ '---\\na: b\\nc:\\n  d: e\\n  f: 1\\n  g: true\\n' | from_yaml_string }}", "{}"));
        assertEquals("['a', 'b', 'c']", render("{{ '---\\n- a\\n- b\\n- c\\n' | from_yaml_string }}", "{}"));
        // PyYAML sorts keys and writes block style.
        assertEquals("a: b\nc:\n  d: e\n  f: 1\n  g: true\n",
                render("{{ trigger.body.o | to_yaml_string }}", "{\"o\": {\"c\": {\"g\": true, \"f\": 1, \"d\": \"e\"}, \"a\": \"b\"}}"));
        String bomb = "a: &a [x, x, x, x, x, x, x, x, x]\\n" + "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\\n".repeat(1)
                + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\\n"
                + "e: [" + "*d, ".repeat(60) + "*d]\\n";
        assertThrows(RenderFailedException.class, () -> render("{{ '" + bomb + "' | from_yaml_string }}", "{}"));
    }

    @Test
    void shouldEscapeForJsonAsJsonEscapeDoes() {
        assertEquals("foo \\\"\\\"\\\" bar", render("{{ trigger.body.s | json_escape }}", "{\"s\": \"foo \\\"\\\"\\\" bar\"}"));
        assertEquals("foo \\\\ bar", render("{{ trigger.body.s | json_escape }}", "{\"s\": \"foo \\\\ bar\"}"));
        assertEquals("foo \\b \\f \\n \\r \\t bar",
                render("{{ trigger.body.s | json_escape }}", "{\"s\": \"foo \\b \\f \\n \\r \\t bar\"}"));
        // Python strips every quote at both ends of json.dumps's result.
        assertEquals("\\\"a\\", render("{{ trigger.body.s | json_escape }}", "{\"s\": \"\\\"a\\\"\"}"));
    }

    @Test
    void shouldQueryWithJsonPathAsJsonpathQueryDoes() {
        String people = "{\"people\": [{\"first\": \"James\", \"last\": \"d\"}, {\"first\": \"Jacob\", \"last\": \"e\"},"
                + " {\"first\": \"Jayden\", \"last\": \"f\"}, {\"missing\": \"different\"}], \"foo\": {\"bar\": \"baz\"}}";
        assertEquals("['James', 'Jacob', 'Jayden']", render("{{ trigger.body | jsonpath_query('people[*].first') }}", people));
        assertEquals(json("[\"d\", \"e\", \"f\"]"), value("{{ trigger.body | jsonpath_query('$.people[*].last') }}", people));
        assertEquals(json("null"), value("{{ trigger.body | jsonpath_query('query_returns_no_results') | use_none }}", people));
    }

    @Test
    void shouldMatchSearchReplaceAndExtractWithPythonRegexes() {
        assertEquals("True", render("{{ 'xyz' | regex_match('x') }}", "{}"));
        assertEquals("False", render("{{ 'xyz' | regex_match('y') }}", "{}"));
        assertEquals("True", render("{{ 'v0.10.1' | regex_match('^v(\\\\d+\\\\.)?(\\\\d+\\\\.)?(\\\\*|\\\\d+)$') }}", "{}"));
        assertEquals("True", render("{{ 'xyz' | regex_search('y') }}", "{}"));
        assertEquals("True", render("{{ 'XYZ' | regex_search('y', ignorecase=True) }}", "{}"));
        assertEquals("yyz", render("{{ 'xyz' | regex_replace('x', 'y') }}", "{}"));
        assertEquals("color socks and color shoes",
                render("{{ 'blue socks and red shoes' | regex_replace('(blue|white|red)', 'color') }}", "{}"));
        assertEquals("Doe, John", render("{{ trigger.body.n | regex_replace('(?P<first_name>\\\\w+) (?P<last>\\\\w+)',"
                + " '\\\\g<last>, \\\\g<first_name>') }}", "{\"n\": \"John Doe\"}"));
        assertEquals("True", render("{{ 'abab' | regex_match('(?P<x>ab)(?P=x)') }}", "{}"));
        assertEquals("123 Somewhere Ave", render("{{ trigger.body.s | regex_substring('([0-9]{3} \\\\w+ (?:Ave|St|Dr))') }}",
                "{\"s\": \"My address is 123 Somewhere Ave. See you soon!\"}"));
        assertEquals("123 Somewhere Ave", render("{{ trigger.body.s | regex_substring('([0-9]{3} \\\\w+ (?:Ave|St|Dr))', 1) }}",
                "{\"s\": \"Your address is 567 Elsewhere Dr. My address is 123 Somewhere Ave.\"}"));
        RenderFailedException none = assertThrows(RenderFailedException.class, () -> render(
                "{{ trigger.body.s | regex_substring('([0-3]{3} \\\\w+ (?:Ave|St|Dr))') }}",
                "{\"s\": \"My address is 986 Somewhere Ave. See you soon!\"}"));
        assertTrue(none.getMessage().contains("regex_substring") && none.getMessage().contains("no match"), none.getMessage());
    }

    @Test
    void shouldGiveUpOnCatastrophicBacktrackingInsteadOfHanging() {
        RenderFailedException e = assertThrows(RenderFailedException.class, () -> render(
                "{{ trigger.body.s | regex_search('(.*a){20}b') }}", "{\"s\": \"" + "a".repeat(40) + "\"}"));
        assertTrue(e.getMessage().contains("steps"), e.getMessage());
    }

    @Test
    void shouldCompareAndBumpSemanticVersions() {
        assertEquals("-1 1 0", render("{{ '0.9.0' | version_compare('0.10.0') }} {{ '0.10.1' | version_compare('0.10.0') }}"
                + " {{ '0.10.0' | version_compare('0.10.0') }}", "{}"));
        assertEquals("False True False", render("{{ '0.9.0' | version_more_than('0.10.0') }} {{ '0.10.1' | version_more_than('0.10.0') }}"
                + " {{ '0.10.0' | version_more_than('0.10.0') }}", "{}"));
        assertEquals("True False False", render("{{ '0.9.0' | version_less_than('0.10.0') }} {{ '0.10.1' | version_less_than('0.10.0') }}"
                + " {{ '0.10.0' | version_less_than('0.10.0') }}", "{}"));
        assertEquals("False True", render("{{ '0.10.1' | version_equal('0.10.0') }} {{ '0.10.0' | version_equal('0.10.0') }}", "{}"));
        assertEquals("True False True False True False", render("{{ '0.10.1' | version_match('>0.10.0') }}"
                + " {{ '0.1.1' | version_match('>0.10.0') }} {{ '0.1.0' | version_match('<0.10.0') }}"
                + " {{ '1.1.0' | version_match('<0.10.0') }} {{ '0.10.0' | version_match('==0.10.0') }}"
                + " {{ '0.10.1' | version_match('==0.10.0') }}", "{}"));
        assertEquals("1.0.0 0.11.0 0.10.2 0.10", render("{{ '0.10.1' | version_bump_major }} {{ '0.10.1' | version_bump_minor }}"
                + " {{ '0.10.1' | version_bump_patch }} {{ '0.10.1' | version_strip_patch }}", "{}"));
        // SemVer precedence: a pre-release sorts before its release, numeric identifiers numerically.
        assertEquals("-1 -1 0", render("{{ '1.0.0-alpha' | version_compare('1.0.0') }} {{ '1.0.0-alpha.2' | version_compare('1.0.0-alpha.10') }}"
                + " {{ '1.0.0+build.1' | version_compare('1.0.0') }}", "{}"));
        assertThrows(RenderFailedException.class, () -> render("{{ '1.0' | version_bump_major }}", "{}"));
    }

    @Test
    void shouldSplitPathsAsPosixpathDoes() {
        assertEquals("file.txt dir ", render("{{ '/some/path/to/file.txt' | basename }} {{ '/some/path/to/dir' | basename }}"
                + " {{ '/some/path/to/dir/' | basename }}", "{}"));
        assertEquals("/some/path/to /some/path/to /some/path/to/dir /",
                render("{{ '/some/path/to/file.txt' | dirname }} {{ '/some/path/to/dir' | dirname }}"
                        + " {{ '/some/path/to/dir/' | dirname }} {{ '/x' | dirname }}", "{}"));
    }

    @Test
    void shouldWriteHumanTimesAsStackStormDoes() {
        assertEquals("0s 1m5s 1h0m1s 1d0h0m0s", render("{{ 0 | to_human_time_from_seconds }} {{ 65 | to_human_time_from_seconds }}"
                + " {{ 3601 | to_human_time_from_seconds }} {{ 86400 | to_human_time_from_seconds }}", "{}"));
    }

    @Test
    void shouldKeepNoneAsNoneWithUseNone() {
        assertEquals(json("null"), value("{{ trigger.body.absent | use_none }}", "{}"));
        assertEquals(json("\"x\""), value("{{ trigger.body.x | use_none }}", "{\"x\": \"x\"}"));
    }

    @Test
    void shouldKeepJinjasOwnFilters() {
        assertEquals("A,B 2 HELLO Hello hello x", render("{{ trigger.body.tags | join(',') | upper }} {{ trigger.body.tags | length }}"
                + " {{ trigger.body.s | upper }} {{ trigger.body.s | capitalize }} {{ trigger.body.s | lower }}"
                + " {{ trigger.body.none | default('x') }}", "{\"tags\": [\"a\", \"b\"], \"s\": \"HELLO\"}"));
        assertEquals("1 b", render("{{ trigger.body.tags | first }} {{ trigger.body.tags | last }}", "{\"tags\": [1, \"b\"]}"));
        assertEquals("0 [2, 1, 0]", render("{{ trigger.body.xs | sort | first }} {{ trigger.body.xs | list }}",
                "{\"xs\": [2, 1, 0]}"));
    }
}
