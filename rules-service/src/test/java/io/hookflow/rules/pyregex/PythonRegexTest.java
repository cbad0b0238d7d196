package io.hookflow.rules.pyregex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;

/** Python patterns, as StackStorm rules write them, run by java.util.regex with Python's results. */
class PythonRegexTest {

    @Test
    void shouldTranslateNamedGroupsAndBackReferences() {
        assertEquals("(?<year>\\d{4})-\\k<year>", PythonRegex.toJava("(?P<year>\\d{4})-(?P=year)"));
        PythonRegex regex = PythonRegex.compile("(?P<first_name>\\w+) (?P<last>\\w+)", false);
        assertEquals("Doe, John", regex.sub("\\g<last>, \\g<first_name>", "John Doe", 1000));
        assertEquals("Doe John", regex.sub("\\2 \\g<1>", "John Doe", 1000));
        assertTrue(PythonRegex.compile("(?P<a_b>x)(?P=a_b)", false).match("xx"));
    }

    @Test
    void shouldKeepPythonLiteralsThatJavaWouldReadAsSyntax() {
        assertTrue(PythonRegex.compile("a{", false).search("a{"));
        assertTrue(PythonRegex.compile("{foo}", false).search("x{foo}"));
        assertTrue(PythonRegex.compile("[[]", false).search("["));
        assertTrue(PythonRegex.compile("[a&&b]", false).search("&"));
        assertTrue(PythonRegex.compile("[]a]", false).search("]"));
        assertTrue(PythonRegex.compile("x{,2}y", false).match("xxy"));
        assertTrue(PythonRegex.compile("ab(?# a comment)c", false).match("abc"));
    }

    @Test
    void shouldFollowPythonsAnchorsAndUnicodeClasses() {
        assertFalse(PythonRegex.compile("abc\\Z", false).search("abc\n"), "Python's \\Z is the very end");
        assertTrue(PythonRegex.compile("abc$", false).search("abc\n"), "$ also matches before a final newline");
        assertTrue(PythonRegex.compile("^\\w+$", false).match("héllo"), "\\w is Unicode in Python 3");
        assertTrue(PythonRegex.compile("x", false).match("xyz"));
        assertFalse(PythonRegex.compile("y", false).match("xyz"), "match is anchored at the start");
        assertTrue(PythonRegex.compile("Y", true).search("xyz"));
    }

    @Test
    void shouldFindAllAsPythonDoes() {
        assertEquals(List.of("1", "22"), PythonRegex.compile("\\d+", false).findall("a1b22"));
        assertEquals(List.of("a", "b"), PythonRegex.compile("(\\w)=\\d", false).findall("a=1 b=2"));
        assertEquals(List.of(List.of("a", "1"), List.of("b", "")), PythonRegex.compile("(\\w)=(\\d)?", false).findall("a=1 b="));
    }

    @Test
    void shouldReplaceEmptyMatchesAsPython37Does() {
        assertEquals("-a-b--d-", PythonRegex.compile("x*", false).sub("-", "abxd", 1000));
    }

    @Test
    void shouldRefuseInvalidPatternsAndReplacements() {
        assertThrows(PatternSyntaxException.class, () -> PythonRegex.compile("(?P<x>a)(?P=y)", false));
        assertThrows(PatternSyntaxException.class, () -> PythonRegex.compile("(?P<1x>a)", false));
        assertThrows(PatternSyntaxException.class, () -> PythonRegex.compile("[abc", false));
        assertThrows(IllegalArgumentException.class, () -> PythonRegex.compile("(a)", false).sub("\\2", "a", 100));
        assertThrows(IllegalArgumentException.class, () -> PythonRegex.compile("(a)", false).sub("\\g<nope>", "a", 100));
    }

    @Test
    void shouldGiveUpOnCatastrophicBacktracking() {
        PythonRegex evil = PythonRegex.compile("(.*a){20}b", false);
        assertThrows(BoundedCharSequence.BudgetExceeded.class, () -> evil.search("a".repeat(40)));
    }

    @Test
    void shouldBoundTheResultOfAReplacement() {
        assertThrows(IllegalArgumentException.class,
                () -> PythonRegex.compile("a", false).sub("b".repeat(100), "a".repeat(100), 1000));
    }
}
