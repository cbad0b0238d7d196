package io.hookflow.rules.regex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Python patterns through the translation, against what Python's {@code re} answered for the same pattern and text
 * ({@code src/test/resources/regex/python_regex_cases.json}, written by {@code python_regex_cases.py} with Python
 * 3.11), with StackStorm's flags for each operator.
 */
class PythonRegexTest {

    /** Python accepts these; Java has no equivalent, so they are refused at save (docs/rules.md says so). */
    static final Set<String> REFUSED_ON_PURPOSE = Set.of("(a)?(?(1)b|c)");
    /**
     * Where Java's Unicode classes and Python's differ (docs/rules.md lists them): Python's {@code \w} takes every
     * number (a superscript two is category No), Java's only decimal digits; Python's {@code \s} takes the
     * separators U+001C..U+001F, Java's does not. Keyed by pattern and text.
     */
    static final Set<String> DIFFERENT_ON_PURPOSE = Set.of("^\\w+$ \u00b2", "\\s \u001c");

    @TestFactory
    Stream<DynamicTest> shouldAnswerAsPythonDoesForEveryRecordedCase() throws Exception {
        JsonNode recorded;
        try (InputStream in = PythonRegexTest.class.getResourceAsStream("/regex/python_regex_cases.json")) {
            recorded = new ObjectMapper().readTree(in);
        }
        assertTrue(recorded.get("cases").size() > 100, "the recorded cases are missing");
        return StreamSupport.stream(recorded.get("cases").spliterator(), false).map(c -> DynamicTest.dynamicTest(
                c.get("operator").asText() + " " + c.get("pattern").asText() + " on " + c.get("text").asText(),
                () -> replay(c)));
    }

    private static void replay(JsonNode c) {
        String operator = c.get("operator").asText();
        String pattern = c.get("pattern").asText();
        String text = c.get("text").asText();
        if (c.has("error") || REFUSED_ON_PURPOSE.contains(pattern)) {
            String python = c.has("error") ? c.get("error").asText() : "accepted";
            PatternSyntaxException refused = assertThrows(PatternSyntaxException.class, () -> compile(operator, pattern),
                    "Python says: " + python);
            assertTrue(!refused.getDescription().isBlank());
            return;
        }
        Pattern compiled;
        try {
            compiled = compile(operator, pattern);
        } catch (PatternSyntaxException e) {
            fail("Python accepts this pattern; the translation gave " + PythonRegex.translate(pattern).javaPattern()
                    + " and Java said: " + e.getDescription());
            return;
        }
        Matcher matcher = compiled.matcher(text);
        boolean matched = operator.equals("matchregex") ? matcher.lookingAt() : matcher.find();
        boolean python = c.get("matched").asBoolean();
        boolean expected = DIFFERENT_ON_PURPOSE.contains(pattern + " " + text) ? !python : python;
        assertEquals(expected, matched, "as Java: " + compiled.pattern());
    }

    /** The flags StackStorm's operators give re (st2common/operators.py), as OperatorRegistry gives them. */
    static Pattern compile(String operator, String pattern) {
        return PythonRegex.compile(pattern, switch (operator) {
            case "iregex" -> Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
            case "matchregex" -> Pattern.DOTALL;
            default -> 0;
        }).pattern();
    }

    @Test
    void shouldNumberNamedGroupsAsPythonDoes() {
        PythonRegex.Translation translation = PythonRegex.translate("(?P<user>\\w+)(x)@(?P<host_name>[a-z.]+)");
        assertEquals(Map.of("user", 1, "host_name", 3), translation.groups());
        Matcher matcher = PythonRegex.compile("(?P<user>\\w+)(x)@(?P<host_name>[a-z.]+)", 0).pattern().matcher("annx@example.com");
        assertTrue(matcher.matches());
        assertEquals("ann", matcher.group(translation.groups().get("user")));
        assertEquals("example.com", matcher.group(translation.groups().get("host_name")));
    }

    @Test
    void shouldGiveAReferenceFollowedByADigitItsOwnGroup() {
        // Java would read \10 as group 10 when ten groups exist; the reference to 1 must stay 1.
        String tenGroups = "(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)";
        assertTrue(PythonRegex.compile(tenGroups + "(?P<k>k)(?P=k)0", 0).pattern().matcher("abcdefghijkk0").matches());
        assertTrue(PythonRegex.compile(tenGroups + "\\10", 0).pattern().matcher("abcdefghijj").matches());
    }

    @Test
    void shouldExplainARefusalAsPythonDoes() {
        assertEquals("unknown group name 'missing'",
                assertThrows(PatternSyntaxException.class, () -> PythonRegex.translate("(?P=missing)")).getDescription());
        assertEquals("bad escape \\p",
                assertThrows(PatternSyntaxException.class, () -> PythonRegex.translate("\\p{L}")).getDescription());
        assertEquals("global flags not at the start of the expression",
                assertThrows(PatternSyntaxException.class, () -> PythonRegex.translate("a(?i)b")).getDescription());
        assertTrue(assertThrows(PatternSyntaxException.class, () -> PythonRegex.translate("(a)?(?(1)b|c)"))
                .getDescription().contains("not supported"));
    }

    // The operations the template filters run (regex_match, regex_search, regex_replace, regex_substring).

    private static PythonRegex regex(String python) {
        return PythonRegex.compile(python, 0);
    }

    @Test
    void shouldReplaceNamedAndNumberedGroupsAsReSubDoes() {
        PythonRegex names = regex("(?P<first_name>\\w+) (?P<last>\\w+)");
        assertEquals("Doe, John", names.sub("\\g<last>, \\g<first_name>", "John Doe", 1000));
        assertEquals("Doe John", names.sub("\\2 \\g<1>", "John Doe", 1000));
        assertEquals("[John Doe]", names.sub("[\\g<0>]", "John Doe", 1000));
        assertTrue(regex("(?P<a_b>x)(?P=a_b)").match("xx"));
    }

    @Test
    void shouldReadOctalAndCharacterEscapesInAReplacementAsPythonDoes() {
        // re.sub('a', r'\0', 'a') == '\x00' and re.sub('a', r'\101', 'a') == 'A': octal, not group 0 or 10.
        assertEquals("\u0000", regex("a").sub("\\0", "a", 100));
        assertEquals("A", regex("(a)").sub("\\101", "a", 100));
        assertEquals("a\tb\\.", regex("x").sub("a\\tb\\.", "x", 100));
    }

    @Test
    void shouldKeepPythonLiteralsThatJavaWouldReadAsSyntax() {
        assertTrue(regex("a{").search("a{"));
        assertTrue(regex("{foo}").search("x{foo}"));
        assertTrue(regex("[[]").search("["));
        assertTrue(regex("[a&&b]").search("&"));
        assertTrue(regex("[]a]").search("]"));
        assertTrue(regex("x{,2}y").match("xxy"));
        assertTrue(regex("ab(?# a comment)c").match("abc"));
    }

    @Test
    void shouldFollowPythonsAnchorsLineEndsAndUnicodeClasses() {
        assertFalse(regex("abc\\Z").search("abc\n"), "Python's \\Z is the very end");
        assertTrue(regex("abc$").search("abc\n"), "$ also matches before a final newline");
        assertFalse(regex("abc$").search("abc\r"), "only \\n ends a line in Python");
        assertTrue(regex("^\\w+$").match("héllo"), "\\w is Unicode in Python 3");
        assertTrue(regex("x").match("xyz"));
        assertFalse(regex("y").match("xyz"), "match is anchored at the start");
        assertTrue(PythonRegex.compile("Y", Pattern.CASE_INSENSITIVE).search("xyz"));
        assertTrue(regex("(?a)^\\w+$").match("abc"));
        assertFalse(regex("(?a)^\\w+$").match("héllo"), "(?a) makes \\w ASCII");
    }

    @Test
    void shouldFindAllAsPythonDoes() {
        assertEquals(List.of("1", "22"), regex("\\d+").findall("a1b22"));
        assertEquals(List.of("a", "b"), regex("(\\w)=\\d").findall("a=1 b=2"));
        assertEquals(List.of(List.of("a", "1"), List.of("b", "")), regex("(\\w)=(\\d)?").findall("a=1 b="));
    }

    @Test
    void shouldReplaceEmptyMatchesAsPython37Does() {
        assertEquals("-a-b--d-", regex("x*").sub("-", "abxd", 1000));
    }

    @Test
    void shouldRefuseInvalidPatternsAndReplacements() {
        assertThrows(PatternSyntaxException.class, () -> regex("(?P<x>a)(?P=y)"));
        assertThrows(PatternSyntaxException.class, () -> regex("(?P<1x>a)"));
        assertThrows(PatternSyntaxException.class, () -> regex("[abc"));
        assertThrows(IllegalArgumentException.class, () -> regex("(a)").sub("\\2", "a", 100));
        assertThrows(IllegalArgumentException.class, () -> regex("(a)").sub("\\g<nope>", "a", 100));
        assertThrows(IllegalArgumentException.class, () -> regex("(a)").sub("\\q", "a", 100));
        assertThrows(IllegalArgumentException.class, () -> regex("(a)").sub("a\\", "a", 100));
    }

    @Test
    void shouldGiveUpOnCatastrophicBacktracking() {
        PythonRegex evil = regex("(.*a){20}b");
        assertThrows(BoundedCharSequence.BudgetExceeded.class, () -> evil.search("a".repeat(40)));
    }

    @Test
    void shouldBoundTheResultOfAReplacement() {
        assertThrows(IllegalArgumentException.class, () -> regex("a").sub("b".repeat(100), "a".repeat(100), 1000));
    }
}
