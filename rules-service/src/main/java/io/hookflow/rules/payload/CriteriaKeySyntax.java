package io.hookflow.rules.payload;

import java.util.regex.Pattern;

/**
 * Reads criteria keys as StackStorm writes them (jsonpath_rw syntax) and tells a plain path, which {@link PayloadPath}
 * follows without a JSONPath engine, from real JSONPath, which it rewrites into Jayway's bracket notation:
 * {@code trigger.body.commits[*].author.name} becomes {@code $['body']['commits'][*]['author']['name']}. Member names
 * are always written in brackets, so a name Jayway would read as a function call ({@code size()}) stays a name.
 */
final class CriteriaKeySyntax {

    /** An index or a list of them, e.g. {@code -1}, {@code 0,2}; at most 9 digits each (Jayway reads an int). */
    private static final Pattern INDEXES = Pattern.compile("-?\\d{1,9}(\\s*,\\s*-?\\d{1,9})*");
    /** A slice without a step, e.g. {@code 0:2}, {@code :3}, {@code -2:}. */
    private static final Pattern SLICE = Pattern.compile("(-?\\d{1,9})?\\s*:\\s*(-?\\d{1,9})?");

    /** The JSONPath of a key: its root name and the rest written for Jayway, starting at {@code $}. */
    record Translated(String root, String jaywayPath) {
    }

    private CriteriaKeySyntax() {
    }

    /** The key up to its first {@code #} outside quotes: what StackStorm looks up ({@code key.split("#", 1)[0]}). */
    static String withoutLabel(String key) {
        if (key == null || key.indexOf('#') < 0) {
            return key;
        }
        char quote = 0;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#') {
                return key.substring(0, i);
            }
        }
        return key;
    }

    /**
     * Whether the key is a plain path: no wildcard, no descendant scan ({@code ..}) and no brackets other than an index
     * ({@code [0]}) or one quoted name ({@code ['a.b']}). Plain paths keep their meaning and their speed.
     */
    static boolean isPlainPath(String key) {
        if (key == null) {
            return true;
        }
        int n = key.length();
        for (int i = 0; i < n; i++) {
            char c = key.charAt(i);
            if (c == '"' || c == '\'') {
                i = skipQuoted(key, i) - 1;
            } else if (c == '*') {
                return false;
            } else if (c == '.' && i + 1 < n && (key.charAt(i + 1) == '.' || key.charAt(i + 1) == '[')) {
                return false;
            } else if (c == '[') {
                int close = closingBracket(key, i);
                if (close < 0) {
                    return false; // the translation names the missing ']'
                }
                String inside = key.substring(i + 1, close);
                if (!inside.chars().allMatch(Character::isDigit) && !isOneQuotedName(inside)) {
                    return false;
                }
                i = close;
            }
        }
        return true;
    }

    /** Rewrites a JSONPath key for Jayway. */
    static Translated translate(String key) {
        if (key == null || key.isBlank()) {
            throw new PathSyntaxException("empty path");
        }
        int n = key.length();
        int i = 0;
        while (i < n && !isDelimiter(key.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw syntax(key, "a key starts with its root name, e.g. 'trigger.body.x'");
        }
        String root = key.substring(0, i);
        StringBuilder out = new StringBuilder("$");
        int scans = 0;
        while (i < n) {
            char c = key.charAt(i);
            if (c == '[') {
                i = bracket(key, i, out);
            } else if (c == '.') {
                boolean scan = i + 1 < n && key.charAt(i + 1) == '.';
                i += scan ? 2 : 1;
                if (scan) {
                    if (++scans > 1) {
                        // Nested scans multiply: '..a..b' on a deep payload visits far more than the payload holds.
                        throw syntax(key, "at most one '..' (descendant scan) per key");
                    }
                    out.append("..");
                }
                if (i >= n) {
                    throw syntax(key, "ends with '.'");
                }
                if (key.charAt(i) != '[') {
                    i = member(key, i, out);
                }
            } else {
                throw syntax(key, "unexpected '" + c + "' at position " + i);
            }
        }
        return new Translated(root, out.toString());
    }

    /** A name, a quoted name or {@code *} after a dot; answers the index after it. */
    private static int member(String key, int start, StringBuilder out) {
        char c = key.charAt(start);
        if (c == '*') {
            out.append("[*]");
            return start + 1;
        }
        if (c == '"' || c == '\'') {
            int end = skipQuoted(key, start);
            if (end > key.length()) {
                throw syntax(key, "unterminated quote at position " + start);
            }
            appendName(unquote(key.substring(start, end)), out);
            return end;
        }
        int i = start;
        while (i < key.length() && !isDelimiter(key.charAt(i))) {
            if (Character.isWhitespace(key.charAt(i))) {
                throw syntax(key, "unexpected whitespace at position " + i);
            }
            i++;
        }
        if (i == start) {
            throw syntax(key, "empty segment at position " + start);
        }
        String name = key.substring(start, i);
        if (name.chars().allMatch(Character::isDigit) && name.length() <= 9) {
            out.append('[').append(name).append(']'); // trigger.body.items.0, as in a plain path
        } else {
            appendName(name, out);
        }
        return i;
    }

    /** {@code [...]}: an index, slice or index list, {@code *}, or quoted names; answers the index after it. */
    private static int bracket(String key, int open, StringBuilder out) {
        int close = closingBracket(key, open);
        if (close < 0) {
            throw syntax(key, "missing ']' for '[' at position " + open);
        }
        String inside = key.substring(open + 1, close);
        String trimmed = inside.strip();
        if (trimmed.startsWith("?") || trimmed.startsWith("(")) {
            throw syntax(key, "filters and script expressions ('[?(...)]') are not supported in criteria keys; "
                    + "use the search operator to test the items of a list");
        }
        if (trimmed.equals("*") || trimmed.matches(":\\s*")) {
            out.append("[*]"); // [:] is every element in jsonpath_rw
        } else if (isOneQuotedName(trimmed)) {
            appendName(unquote(trimmed), out);
        } else if (trimmed.startsWith("'") || trimmed.startsWith("\"")) {
            out.append('[').append(trimmed).append(']'); // several names: Jayway reads ['a','b'] itself
        } else if (INDEXES.matcher(trimmed).matches() || SLICE.matcher(trimmed).matches()) {
            out.append('[').append(trimmed.replace(" ", "")).append(']');
        } else {
            throw syntax(key, "unsupported '[" + inside + "]' at position " + open
                    + "; use [0], [-1], [*], [start:end] or ['name']");
        }
        return close + 1;
    }

    private static void appendName(String name, StringBuilder out) {
        out.append("['").append(name.replace("\\", "\\\\").replace("'", "\\'")).append("']");
    }

    private static boolean isOneQuotedName(String text) {
        return text.length() >= 2 && (text.charAt(0) == '"' || text.charAt(0) == '\'')
                && skipQuoted(text, 0) == text.length();
    }

    /** The text between the quotes, with backslash escapes resolved as {@link PayloadPath} resolves them. */
    private static String unquote(String quoted) {
        StringBuilder value = new StringBuilder();
        for (int i = 1; i < quoted.length() - 1; i++) {
            char c = quoted.charAt(i);
            if (c == '\\' && i + 1 < quoted.length() - 1) {
                c = quoted.charAt(++i);
            }
            value.append(c);
        }
        return value.toString();
    }

    /** The index after the closing quote of the quoted text starting at {@code start}; past the end if unterminated. */
    private static int skipQuoted(String text, int start) {
        char quote = text.charAt(start);
        for (int i = start + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i + 1;
            }
        }
        return text.length() + 1;
    }

    private static int closingBracket(String text, int open) {
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\'') {
                i = skipQuoted(text, i) - 1;
            } else if (c == ']') {
                return i;
            }
        }
        return -1;
    }

    private static boolean isDelimiter(char c) {
        return c == '.' || c == '[' || c == ']' || c == '"' || c == '\'';
    }

    private static PathSyntaxException syntax(String key, String problem) {
        return new PathSyntaxException(problem + " in '" + key + "'");
    }
}
