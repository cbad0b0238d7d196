package io.hookflow.rules.template.jinja;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A template's text made ready for Jinjava, so it reads as Jinja2 reads it in StackStorm: one trailing newline
 * dropped ({@code keep_trailing_newline = False}); {@code lstrip_blocks} as Jinja2 does it (only the whitespace between
 * the start of a line and a block tag; Jinjava strips it before any tag); and Python's string escapes in expressions
 * ({@code regex_match('\d+')} keeps its backslash, {@code '\n'} is a newline), which Jinjava's EL would refuse.
 * Raw blocks and comments are left as written.
 */
final class JinjaSource {

    private static final Pattern END_RAW = Pattern.compile("\\{%-?\\s*endraw\\s*-?%}");
    private static final Pattern RAW = Pattern.compile("-?\\s*raw\\s*-?");

    private JinjaSource() {
    }

    static String prepare(String source) {
        String text = source.endsWith("\n") ? source.substring(0, source.length() - 1) : source;
        StringBuilder out = new StringBuilder(text.length() + 16);
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("{#", i)) {
                stripLineIndent(out);
                int end = text.indexOf("#}", i + 2);
                end = end < 0 ? text.length() : end + 2;
                out.append(text, i, end);
                i = end;
            } else if (text.startsWith("{{", i) || text.startsWith("{%", i)) {
                boolean block = text.charAt(i + 1) == '%';
                if (block && !text.startsWith("{%+", i)) {
                    stripLineIndent(out);
                }
                int end = region(text, i, block ? "%}" : "}}", out);
                if (block && RAW.matcher(text.substring(i + 2, Math.max(i + 2, end - 2))).matches()) {
                    Matcher endRaw = END_RAW.matcher(text);
                    int rawEnd = endRaw.find(end) ? endRaw.start() : text.length();
                    out.append(text, end, rawEnd);
                    end = rawEnd;
                }
                i = end;
            } else {
                out.append(text.charAt(i));
                i++;
            }
        }
        return out.toString();
    }

    /** Jinja2's lstrip_blocks: spaces and tabs from the start of the line up to a block tag go. */
    private static void stripLineIndent(StringBuilder out) {
        int at = out.length();
        while (at > 0 && (out.charAt(at - 1) == ' ' || out.charAt(at - 1) == '\t')) {
            at--;
        }
        if (at == 0 || out.charAt(at - 1) == '\n') {
            out.setLength(at);
        }
    }

    /** Copies {@code {{ ... }}} or {@code {% ... %}}, translating string literals; returns the index after it. */
    private static int region(String text, int start, String close, StringBuilder out) {
        out.append(text, start, start + 2);
        int i = start + 2;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (text.startsWith(close, i)) {
                out.append(close);
                return i + 2;
            }
            if (c == '\'' || c == '"') {
                i = literal(text, i, out);
            } else {
                out.append(c);
                i++;
            }
        }
        return i;
    }

    /** A Python string literal in the EL's terms; returns the index after its closing quote. */
    private static int literal(String text, int start, StringBuilder out) {
        char quote = text.charAt(start);
        out.append(quote);
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == quote) {
                out.append(quote);
                return i + 1;
            }
            if (c != '\\' || i + 1 >= text.length()) {
                out.append(c);
                i++;
                continue;
            }
            char next = text.charAt(i + 1);
            switch (next) {
                case '\\' -> out.append("\\\\");
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                default -> {
                    if (next == quote) {
                        out.append('\\').append(quote);
                    } else if (next == '\'' || next == '"') {
                        out.append(next);
                    } else {
                        // Python keeps the backslash of an escape it does not know: '\d' is backslash-d.
                        out.append("\\\\").append(next);
                    }
                }
            }
            i += 2;
        }
        return i;
    }
}
