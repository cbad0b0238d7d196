package io.hookflow.rules.pyregex;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A Python {@code re} pattern run by {@code java.util.regex}: StackStorm rules are written in Python's syntax, so a
 * pattern is translated once ({@link #toJava}) and every match reads the text through a {@link BoundedCharSequence},
 * so catastrophic backtracking gives up instead of hanging the caller.
 *
 * <p>Translated: named groups {@code (?P<name>...)} and back-references {@code (?P=name)} (names Java refuses, such as
 * {@code first_name}, are renamed inside), {@code (?#comments)}, {@code \Z} (Python's end of text), {@code \UXXXXXXXX},
 * a {@code {} that is no quantifier (literal in Python), {@code {,n}}, and {@code [} or {@code &&} inside a class
 * (literal in Python, nesting and intersection in Java). {@code \d}, {@code \w}, {@code \s} and {@code \b} are
 * Unicode-aware as in Python 3. Not translated (Java refuses or differs): conditionals {@code (?(1)a|b)}, the flags
 * {@code (?a)} and {@code (?L)}, {@code \N{name}}; possessive quantifiers and atomic groups are Java-only extras.
 */
public final class PythonRegex {

    /** Characters one search may read; generous for webhook payloads, fatal to catastrophic backtracking. */
    public static final long STEP_BUDGET = 1_000_000;
    private static final Pattern JAVA_GROUP_NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9]*");

    private final String source;
    private final Pattern pattern;
    private final Map<String, String> groupNames;

    private PythonRegex(String source, Pattern pattern, Map<String, String> groupNames) {
        this.source = source;
        this.pattern = pattern;
        this.groupNames = groupNames;
    }

    /**
     * Compiles a Python pattern (flags as Python's: {@code ignoreCase} is {@code re.I}).
     *
     * @throws PatternSyntaxException when the pattern is invalid in Python's syntax or Java cannot run it
     */
    public static PythonRegex compile(String python, boolean ignoreCase) {
        Translation translation = translate(python);
        int flags = Pattern.UNICODE_CHARACTER_CLASS | (ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
        return new PythonRegex(python, Pattern.compile(translation.java(), flags), translation.groupNames());
    }

    /** The Java form of a Python pattern, for callers that compile it with their own flags. */
    public static String toJava(String python) {
        return translate(python).java();
    }

    public Pattern pattern() {
        return pattern;
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
     */
    public String sub(String replacement, String text, long maxLength) {
        List<Object> parts = replacementParts(replacement);
        Matcher matcher = pattern.matcher(bounded(text));
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (matcher.find()) {
            out.append(text, last, matcher.start());
            for (Object part : parts) {
                if (part instanceof GroupRef group) {
                    String value = group.of(matcher);
                    out.append(value == null ? "" : value);
                } else {
                    out.append((String) part);
                }
            }
            last = matcher.end();
            if (out.length() > maxLength) {
                throw new IllegalArgumentException("the result exceeds " + maxLength + " characters");
            }
        }
        out.append(text, last, text.length());
        if (out.length() > maxLength) {
            throw new IllegalArgumentException("the result exceeds " + maxLength + " characters");
        }
        return out.toString();
    }

    /**
     * Python's {@code re.findall}: the whole matches when the pattern has no group, group 1 when it has one, and a list
     * of every group (Python's tuple) when it has more; a group that did not take part is {@code ""}.
     */
    public List<Object> findall(String text) {
        Matcher matcher = pattern.matcher(bounded(text));
        List<Object> found = new ArrayList<>();
        int groups = matcher.groupCount();
        while (matcher.find()) {
            if (groups == 0) {
                found.add(matcher.group());
            } else if (groups == 1) {
                found.add(orEmpty(matcher.group(1)));
            } else {
                List<Object> tuple = new ArrayList<>(groups);
                for (int i = 1; i <= groups; i++) {
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

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static CharSequence bounded(String text) {
        return new BoundedCharSequence(text, STEP_BUDGET);
    }

    /** A replacement template as literal text and group references, Python's escapes resolved. */
    private List<Object> replacementParts(String replacement) {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int groupCount = pattern.matcher("").groupCount();
        int i = 0;
        while (i < replacement.length()) {
            char c = replacement.charAt(i);
            if (c != '\\' || i + 1 == replacement.length()) {
                literal.append(c);
                i++;
                continue;
            }
            char next = replacement.charAt(i + 1);
            GroupRef group;
            if (next == 'g' && i + 2 < replacement.length() && replacement.charAt(i + 2) == '<') {
                int close = replacement.indexOf('>', i + 3);
                if (close < 0) {
                    throw new IllegalArgumentException("missing '>' in group reference at position " + i);
                }
                group = groupRef(replacement.substring(i + 3, close), groupCount);
                i = close + 1;
            } else if (Character.isDigit(next)) {
                int end = i + 2;
                if (end < replacement.length() && Character.isDigit(replacement.charAt(end))) {
                    end++;
                }
                group = numbered(Integer.parseInt(replacement.substring(i + 1, end)), groupCount);
                i = end;
            } else {
                literal.append(switch (next) {
                    case 'n' -> "\n";
                    case 't' -> "\t";
                    case 'r' -> "\r";
                    case 'f' -> "\f";
                    case 'v' -> "\u000B";
                    case 'a' -> "\u0007";
                    case 'b' -> "\b";
                    case '\\' -> "\\";
                    default -> {
                        if (Character.isLetter(next) && next < 128) {
                            throw new IllegalArgumentException("bad escape \\" + next + " in the replacement");
                        }
                        yield "\\" + next;
                    }
                });
                i += 2;
                continue;
            }
            if (!literal.isEmpty()) {
                parts.add(literal.toString());
                literal.setLength(0);
            }
            parts.add(group);
        }
        if (!literal.isEmpty()) {
            parts.add(literal.toString());
        }
        return parts;
    }

    /** A group of the replacement, by number or by its (Java) name. */
    private record GroupRef(int number, String javaName) {
        String of(Matcher matcher) {
            return javaName == null ? matcher.group(number) : matcher.group(javaName);
        }
    }

    private GroupRef groupRef(String name, int groupCount) {
        if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
            return numbered(Integer.parseInt(name), groupCount);
        }
        String javaName = groupNames.get(name);
        if (javaName == null) {
            throw new IllegalArgumentException("unknown group name '" + name + "' in the replacement");
        }
        return new GroupRef(-1, javaName);
    }

    private static GroupRef numbered(int group, int groupCount) {
        if (group > groupCount) {
            throw new IllegalArgumentException("invalid group reference " + group + " in the replacement");
        }
        return new GroupRef(group, null);
    }

    record Translation(String java, Map<String, String> groupNames) {
    }

    static Translation translate(String python) {
        StringBuilder java = new StringBuilder(python.length() + 8);
        Map<String, String> names = new HashMap<>();
        int i = 0;
        int n = python.length();
        while (i < n) {
            char c = python.charAt(i);
            if (c == '\\') {
                i = escape(python, i, java);
            } else if (c == '[') {
                i = characterClass(python, i, java);
            } else if (python.startsWith("(?P<", i)) {
                int close = python.indexOf('>', i + 4);
                if (close < 0) {
                    throw new PatternSyntaxException("missing '>' after the group name", python, i);
                }
                String name = python.substring(i + 4, close);
                if (names.containsKey(name)) {
                    throw new PatternSyntaxException("redefinition of group name '" + name + "'", python, i);
                }
                java.append("(?<").append(javaName(name, names, python, i)).append('>');
                i = close + 1;
            } else if (python.startsWith("(?P=", i)) {
                int close = python.indexOf(')', i + 4);
                String name = close < 0 ? null : python.substring(i + 4, close);
                if (name == null || !names.containsKey(name)) {
                    throw new PatternSyntaxException("unknown group name in (?P=...)", python, i);
                }
                java.append("\\k<").append(names.get(name)).append('>');
                i = close + 1;
            } else if (python.startsWith("(?#", i)) {
                int close = python.indexOf(')', i + 3);
                if (close < 0) {
                    throw new PatternSyntaxException("missing ')' after the comment", python, i);
                }
                i = close + 1;
            } else if (c == '{') {
                i = brace(python, i, java);
            } else {
                java.append(c);
                i++;
            }
        }
        return new Translation(java.toString(), Map.copyOf(names));
    }

    private static String javaName(String name, Map<String, String> names, String python, int at) {
        if (name.isEmpty() || !(Character.isLetter(name.charAt(0)) || name.charAt(0) == '_')
                || !name.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_')) {
            throw new PatternSyntaxException("bad character in group name '" + name + "'", python, at);
        }
        String javaName = name;
        if (!JAVA_GROUP_NAME.matcher(name).matches()) {
            javaName = "pyg" + names.size() + "x" + name.replaceAll("[^a-zA-Z0-9]", "");
        }
        names.put(name, javaName);
        return javaName;
    }

    /** An escape outside a class; returns the index after it. */
    private static int escape(String python, int i, StringBuilder java) {
        if (i + 1 >= python.length()) {
            throw new PatternSyntaxException("bad escape (end of pattern)", python, i);
        }
        char next = python.charAt(i + 1);
        if (next == 'Z') {
            java.append("\\z");
            return i + 2;
        }
        if (next == 'U' && i + 10 <= python.length()) {
            java.append("\\x{").append(python, i + 2, i + 10).append('}');
            return i + 10;
        }
        java.append('\\').append(next);
        return i + 2;
    }

    /** A character class {@code [...]}: copied with Python's literals kept literal; returns the index after it. */
    private static int characterClass(String python, int start, StringBuilder java) {
        int i = start + 1;
        java.append('[');
        if (i < python.length() && python.charAt(i) == '^') {
            java.append('^');
            i++;
        }
        if (i < python.length() && python.charAt(i) == ']') {
            java.append("\\]");
            i++;
        }
        while (i < python.length()) {
            char c = python.charAt(i);
            if (c == ']') {
                java.append(']');
                return i + 1;
            }
            if (c == '\\') {
                if (i + 1 >= python.length()) {
                    break;
                }
                java.append(c).append(python.charAt(i + 1));
                i += 2;
                continue;
            }
            if (c == '[' || c == '&' && i + 1 < python.length() && python.charAt(i + 1) == '&') {
                java.append('\\');
            }
            java.append(c);
            i++;
        }
        throw new PatternSyntaxException("unterminated character set", python, start);
    }

    /** {@code {m}}, {@code {m,}}, {@code {m,n}} and {@code {,n}} are quantifiers; any other brace is a literal. */
    private static int brace(String python, int start, StringBuilder java) {
        int close = python.indexOf('}', start);
        if (close > start) {
            String inside = python.substring(start + 1, close);
            if (inside.matches("\\d+(,\\d*)?")) {
                java.append('{').append(inside).append('}');
                return close + 1;
            }
            if (inside.matches(",\\d+")) {
                java.append("{0").append(inside).append('}');
                return close + 1;
            }
        }
        java.append("\\{");
        return start + 1;
    }
}
