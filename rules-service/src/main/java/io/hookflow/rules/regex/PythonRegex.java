package io.hookflow.rules.regex;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * StackStorm's patterns are Python 3 {@code re} patterns on text; this turns one into a {@link Pattern} that means the
 * same, so a StackStorm rule's regex works unchanged. It reads the pattern as Python 3.11's parser does and writes
 * Java's syntax:
 * <ul>
 *   <li>named groups {@code (?P<name>…)} become plain groups and {@code (?P=name)} a numbered back reference (Java's
 *       group names allow no {@code _}); the names are kept in {@link Translation#groups()};</li>
 *   <li>{@code \Z} (end of text in Python) becomes {@code \z}; {@code \v}, {@code \a}, octal, {@code \U0001F600} and
 *       {@code \N{NAME}} become the characters they stand for; {@code \b} in a class is a backspace;</li>
 *   <li>{@code {,n}} is {@code {0,n}}, and an opening brace that starts no quantifier is a literal;</li>
 *   <li>in a class, {@code [} and {@code &} are literals (Java would read a nested class or an intersection);</li>
 *   <li>comments {@code (?#…)} and verbose mode ({@code (?x)}) are resolved here, so Java never sees them;</li>
 *   <li>inline flags: {@code i m s} as they are, {@code u} (already the default) dropped, {@code a} (ASCII) turns
 *       Unicode classes and case folding off.</li>
 * </ul>
 * Compiled with {@link #FLAGS}: {@code \d \w \s \b} are Unicode-aware and case folding is Unicode as in Python 3, and
 * only {@code \n} ends a line for {@code . ^ $}. What Python refuses is refused, with Python's message: bad escapes
 * such as {@code \p} or {@code \Q}, Java's {@code (?<name>…)}, unknown groups, global flags after the start.
 * Conditional groups {@code (?(1)yes|no)} have no Java equivalent and are refused.
 */
public final class PythonRegex {

    /** Python 3's meaning of classes, case folding and line ends; {@code UNICODE_CHARACTER_CLASS} implies Unicode case. */
    public static final int FLAGS = Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES;

    /**
     * A translated pattern.
     *
     * @param javaPattern the pattern in Java's syntax, to compile with {@link #FLAGS}
     * @param groups      the Python group names and their numbers, for {@link java.util.regex.Matcher#group(int)}
     */
    public record Translation(String javaPattern, Map<String, Integer> groups) {
    }

    private PythonRegex() {
    }

    /**
     * Compiles a Python pattern with {@link #FLAGS} and the given ones.
     *
     * @throws PatternSyntaxException when Python (or Java) would refuse the pattern
     */
    public static Pattern compile(String python, int flags) {
        return Pattern.compile(translate(python).javaPattern(), FLAGS | flags);
    }

    /** @throws PatternSyntaxException when Python would refuse the pattern, or it uses what Java cannot express */
    public static Translation translate(String python) {
        return new PythonPatternTranslator(python).run();
    }

}
