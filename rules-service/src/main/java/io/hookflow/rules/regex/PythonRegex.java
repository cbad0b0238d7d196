package io.hookflow.rules.regex;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * StackStorm's patterns are Python 3 {@code re} patterns on text; this turns one into a {@link Pattern} that means the
 * same, so a StackStorm rule's regex works unchanged, and runs Python's {@code match}, {@code search}, {@code sub} and
 * {@code findall} on it. It is the one translator of Python patterns: criteria operators and template filters both
 * use it. It reads the pattern as Python 3.11's parser does and writes Java's syntax:
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
 *
 * <p>The operations read the text through a {@link BoundedCharSequence}, so catastrophic backtracking gives up with
 * {@link BoundedCharSequence.BudgetExceeded} instead of hanging the caller.
 */
public final class PythonRegex {

    /** Python 3's meaning of classes, case folding and line ends; {@code UNICODE_CHARACTER_CLASS} implies Unicode case. */
    public static final int FLAGS = Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES;
    /** Characters one operation may read; generous for webhook payloads, fatal to catastrophic backtracking. */
    public static final long STEP_BUDGET = 1_000_000;

    /**
     * A translated pattern.
     *
     * @param javaPattern the pattern in Java's syntax, to compile with {@link #FLAGS}
     * @param groups      the Python group names and their numbers, for {@link java.util.regex.Matcher#group(int)}
     */
    public record Translation(String javaPattern, Map<String, Integer> groups) {
    }

    private final String source;
    private final Pattern pattern;
    private final Map<String, Integer> groups;

    private PythonRegex(String source, Pattern pattern, Map<String, Integer> groups) {
        this.source = source;
        this.pattern = pattern;
        this.groups = groups;
    }

    /**
     * Compiles a Python pattern with {@link #FLAGS} and the given {@link Pattern} flags ({@code re.I} is
     * {@link Pattern#CASE_INSENSITIVE}, {@code re.S} {@link Pattern#DOTALL}).
     *
     * @throws PatternSyntaxException when Python (or Java) would refuse the pattern
     */
    public static PythonRegex compile(String python, int flags) {
        Translation translation = translate(python);
        return new PythonRegex(python, Pattern.compile(translation.javaPattern(), FLAGS | flags), translation.groups());
    }

    /** @throws PatternSyntaxException when Python would refuse the pattern, or it uses what Java cannot express */
    public static Translation translate(String python) {
        return new PythonPatternTranslator(python).run();
    }

    /** The compiled Java pattern; match it on a {@link #bounded} text to keep the step budget. */
    public Pattern pattern() {
        return pattern;
    }

    /** The Python group names and their numbers. */
    public Map<String, Integer> groups() {
        return groups;
    }

    /** A text that gives up after {@link #STEP_BUDGET} reads, for callers that drive a {@link Matcher} themselves. */
    public static CharSequence bounded(String text) {
        return new BoundedCharSequence(text, STEP_BUDGET);
    }

    /** Python's {@code re.match}: the pattern matches at the start of the text. */
    public boolean match(String text) {
        return pattern.matcher(bounded(text)).lookingAt();
    }

    /** Python's {@code re.search}: the pattern matches anywhere in the text. */
    public boolean search(String text) {
        return pattern.matcher(bounded(text)).find();
    }

    /**
     * Python's {@code re.sub}: every match replaced by {@code replacement}, whose {@code \1}, {@code \g<1>} and
     * {@code \g<name>} insert groups (a group that did not take part inserts nothing).
     *
     * @param maxLength the longest result allowed; a longer one fails rather than filling memory
     * @throws IllegalArgumentException when Python would refuse the replacement, or the result is too long
     */
    public String sub(String replacement, String text, long maxLength) {
        PythonReplacement template = PythonReplacement.parse(replacement, pattern.matcher("").groupCount(), groups);
        Matcher matcher = pattern.matcher(bounded(text));
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (matcher.find()) {
            out.append(text, last, matcher.start());
            template.appendTo(out, matcher);
            last = matcher.end();
            checkLength(out, maxLength);
        }
        out.append(text, last, text.length());
        checkLength(out, maxLength);
        return out.toString();
    }

    /**
     * Python's {@code re.findall}: the whole matches when the pattern has no group, group 1 when it has one, and a list
     * of every group (Python's tuple) when it has more; a group that did not take part is {@code ""}.
     */
    public List<Object> findall(String text) {
        Matcher matcher = pattern.matcher(bounded(text));
        List<Object> found = new ArrayList<>();
        int groupCount = matcher.groupCount();
        while (matcher.find()) {
            if (groupCount == 0) {
                found.add(matcher.group());
            } else if (groupCount == 1) {
                found.add(orEmpty(matcher.group(1)));
            } else {
                List<Object> tuple = new ArrayList<>(groupCount);
                for (int i = 1; i <= groupCount; i++) {
                    tuple.add(orEmpty(matcher.group(i)));
                }
                found.add(tuple);
            }
        }
        return found;
    }

    @Override
    public String toString() {
        return source;
    }

    private static void checkLength(StringBuilder out, long maxLength) {
        if (out.length() > maxLength) {
            throw new IllegalArgumentException("the result exceeds " + maxLength + " characters");
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
