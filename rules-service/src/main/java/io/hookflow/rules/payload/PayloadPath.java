package io.hookflow.rules.payload;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A reference into the trigger, such as {@code trigger.body.items.0.name}, {@code trigger.body."a.b"} or, Jinja style,
 * {@code trigger.body['a.b']} and {@code trigger.items[0]}. The first segment names the root ({@code trigger}).
 * A bare numeric segment indexes an array and names a key of an object.
 */
public final class PayloadPath implements PayloadQuery {

    private final String source;
    private final List<String> segments;

    private PayloadPath(String source, List<String> segments) {
        this.source = source;
        this.segments = List.copyOf(segments);
    }

    public static PayloadPath parse(String text) {
        if (text == null || text.isBlank()) {
            throw new PathSyntaxException("empty path");
        }
        List<String> segments = new ArrayList<>();
        int i = 0;
        int n = text.length();
        boolean expectSegment = true;
        while (i < n) {
            char c = text.charAt(i);
            if (expectSegment) {
                if (c == '"' || c == '\'') {
                    int end = readQuoted(text, i, segments);
                    i = end;
                } else {
                    int start = i;
                    while (i < n && !isDelimiter(text.charAt(i))) {
                        if (Character.isWhitespace(text.charAt(i))) {
                            throw new PathSyntaxException("unexpected whitespace at position " + i + " in '" + text + "'");
                        }
                        i++;
                    }
                    if (i == start) {
                        throw new PathSyntaxException("empty segment at position " + i + " in '" + text + "'");
                    }
                    segments.add(text.substring(start, i));
                }
                expectSegment = false;
            } else if (c == '.') {
                i++;
                expectSegment = true;
                if (i == n) {
                    throw new PathSyntaxException("path ends with '.' in '" + text + "'");
                }
            } else if (c == '[') {
                i = readBracket(text, i, segments);
            } else {
                throw new PathSyntaxException("unexpected '" + c + "' at position " + i + " in '" + text + "'");
            }
        }
        return new PayloadPath(text, segments);
    }

    private static boolean isDelimiter(char c) {
        return c == '.' || c == '[' || c == ']' || c == '"' || c == '\'';
    }

    /** Reads a quoted segment starting at {@code start}; returns the index after the closing quote. */
    private static int readQuoted(String text, int start, List<String> segments) {
        char quote = text.charAt(start);
        StringBuilder value = new StringBuilder();
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                value.append(text.charAt(i + 1));
                i += 2;
            } else if (c == quote) {
                segments.add(value.toString());
                return i + 1;
            } else {
                value.append(c);
                i++;
            }
        }
        throw new PathSyntaxException("unterminated quote at position " + start + " in '" + text + "'");
    }

    /** Reads {@code [0]} or {@code ['key']}; returns the index after the closing bracket. */
    private static int readBracket(String text, int start, List<String> segments) {
        int i = start + 1;
        if (i < text.length() && (text.charAt(i) == '"' || text.charAt(i) == '\'')) {
            i = readQuoted(text, i, segments);
        } else {
            int digits = i;
            while (i < text.length() && Character.isDigit(text.charAt(i))) {
                i++;
            }
            if (i == digits) {
                throw new PathSyntaxException("expected an index or a quoted key after '[' at position " + start
                        + " in '" + text + "'");
            }
            segments.add(text.substring(digits, i));
        }
        if (i >= text.length() || text.charAt(i) != ']') {
            throw new PathSyntaxException("missing ']' for '[' at position " + start + " in '" + text + "'");
        }
        return i + 1;
    }

    /** The name of the root this path starts from, e.g. {@code trigger}. */
    @Override
    public String root() {
        return segments.get(0);
    }

    public List<String> segments() {
        return segments;
    }

    /**
     * Follows the path below its root. Answers null when any step is absent or the value is JSON null: StackStorm makes
     * no difference between the two (both are Python {@code None}).
     */
    @Override
    public JsonNode resolve(JsonNode root) {
        JsonNode current = root;
        for (int i = 1; i < segments.size() && current != null; i++) {
            String segment = segments.get(i);
            if (current.isObject()) {
                current = current.get(segment);
            } else if (current.isArray() && isIndex(segment)) {
                current = current.get(Integer.parseInt(segment));
            } else {
                current = null;
            }
        }
        return current == null || current.isNull() || current.isMissingNode() ? null : current;
    }

    private static boolean isIndex(String segment) {
        if (segment.isEmpty() || segment.length() > 9) {
            return false;
        }
        for (int i = 0; i < segment.length(); i++) {
            if (!Character.isDigit(segment.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return source;
    }
}
