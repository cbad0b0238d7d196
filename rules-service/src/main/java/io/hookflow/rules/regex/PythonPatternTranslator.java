package io.hookflow.rules.regex;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a Python 3.11 {@code re} pattern as Python's parser does ({@code re/_parser.py}) and writes the Java pattern
 * that means the same, in one pass; see {@link PythonRegex} for what changes.
 */
final class PythonPatternTranslator {

    private static final String FLAG_LETTERS = "aiLmsux";

    private final String source;
    private final StringBuilder out;
    private int at;
    private int groupCount;
    private final Map<String, Integer> names = new HashMap<>();
    private final Set<Integer> closedGroups = new HashSet<>();
    /** Per open parenthesis: its group number (0 if it captures nothing) and the verbose mode outside it. */
    private final Deque<int[]> open = new ArrayDeque<>();
    private boolean verbose;
    /** Nothing but global flags (and comments) read so far: where Python allows global flags. */
    private boolean atStart = true;

    PythonPatternTranslator(String source) {
        this.source = source;
        this.out = new StringBuilder(source.length() + 16);
    }

    PythonRegex.Translation run() {
        while (at < source.length()) {
            char c = source.charAt(at);
            if (verbose && isWhitespace(c)) {
                at++;
                continue;
            }
            if (verbose && c == '#') {
                while (at < source.length() && source.charAt(at) != '\n') {
                    at++;
                }
                continue;
            }
            if (c == '(') {
                group();
                continue;
            }
            atStart = false;
            switch (c) {
                case '\\' -> escape(false);
                case '[' -> characterClass();
                case ')' -> close();
                case '{' -> brace();
                case '}', ']' -> {
                    out.append('\\').append(c);
                    at++;
                }
                default -> {
                    out.append(c);
                    at++;
                }
            }
        }
        if (!open.isEmpty()) {
            throw error("missing ), unterminated subpattern", source.length());
        }
        return new PythonRegex.Translation(out.toString(), Map.copyOf(names));
    }

    private void group() {
        int start = at;
        at++;
        if (!source.startsWith("?", at)) {
            atStart = false;
            openGroup(++groupCount, verbose);
            out.append('(');
            return;
        }
        at++;
        if (at >= source.length()) {
            throw error("unexpected end of pattern", at);
        }
        char kind = source.charAt(at);
        if (kind == '#') {
            skipComment(start);
            return;
        }
        if (FLAG_LETTERS.indexOf(kind) >= 0 || kind == '-') {
            flags(start);
            return;
        }
        atStart = false;
        switch (kind) {
            case 'P' -> pythonExtension();
            case ':', '=', '!', '>' -> {
                at++;
                openGroup(0, verbose);
                out.append("(?").append(kind);
            }
            case '<' -> {
                char next = at + 1 < source.length() ? source.charAt(at + 1) : 0;
                if (next != '=' && next != '!') {
                    throw error("unknown extension ?<" + (next == 0 ? "" : next), at);
                }
                at += 2;
                openGroup(0, verbose);
                out.append("(?<").append(next);
            }
            case '(' -> throw error("conditional groups (?(…)yes|no) are not supported", start);
            default -> throw error("unknown extension ?" + kind, at);
        }
    }

    /** {@code (?P<name>…)} and {@code (?P=name)}. */
    private void pythonExtension() {
        at++;
        char next = at < source.length() ? source.charAt(at) : 0;
        if (next == '<') {
            at++;
            String name = readUntil('>', "group name");
            if (names.containsKey(name)) {
                throw error("redefinition of group name '" + name + "' as group " + (groupCount + 1)
                        + "; was group " + names.get(name), at);
            }
            names.put(name, ++groupCount);
            openGroup(groupCount, verbose);
            out.append('(');
        } else if (next == '=') {
            at++;
            String name = readUntil(')', "group name");
            Integer group = names.get(name);
            if (group == null) {
                throw error("unknown group name '" + name + "'", at);
            }
            backReference(group);
        } else {
            throw error("unknown extension ?P" + (next == 0 ? "" : next), at);
        }
    }

    /** Inline flags: global {@code (?imsx)} at the start, or scoped {@code (?i-s:…)}. */
    private void flags(int start) {
        StringBuilder on = new StringBuilder();
        StringBuilder off = new StringBuilder();
        Boolean verboseHere = null;
        boolean turningOff = false;
        while (true) {
            if (at >= source.length()) {
                throw error(turningOff ? "missing :" : "missing -, : or )", at);
            }
            char f = source.charAt(at++);
            if (f == ')' && !turningOff) {
                if (!atStart || !open.isEmpty()) {
                    throw error("global flags not at the start of the expression", start);
                }
                if (Boolean.TRUE.equals(verboseHere)) {
                    verbose = true;
                }
                appendFlags(on, off, ')');
                return;
            }
            if (f == ':') {
                atStart = false;
                openGroup(0, verbose);
                if (verboseHere != null) {
                    verbose = verboseHere;
                }
                appendFlags(on, off, ':');
                return;
            }
            if (f == '-' && !turningOff) {
                turningOff = true;
                continue;
            }
            switch (f) {
                case 'i', 'm', 's' -> (turningOff ? off : on).append(f);
                case 'x' -> verboseHere = !turningOff;
                case 'u', 'a' -> {
                    if (turningOff) {
                        throw error("bad inline flags: cannot turn off flags 'a', 'u' and 'L'", at - 1);
                    }
                    if (f == 'a') {
                        off.append("Uu"); // ASCII classes and ASCII-only case folding
                    }
                }
                case 'L' -> throw error("bad inline flags: cannot use 'L' flag with a str pattern", at - 1);
                default -> throw error(Character.isLetter(f) ? "unknown flag" : "missing -, : or )", at - 1);
            }
        }
    }

    private void appendFlags(CharSequence on, CharSequence off, char end) {
        if (end == ')' && on.isEmpty() && off.isEmpty()) {
            return;
        }
        out.append("(?").append(on);
        if (!off.isEmpty()) {
            out.append('-').append(off);
        }
        out.append(end);
    }

    /** {@code (?#…)}: dropped; an escaped {@code )} does not end it, as in Python. */
    private void skipComment(int start) {
        at++;
        while (at < source.length()) {
            char c = source.charAt(at);
            at += c == '\\' ? 2 : 1;
            if (c == ')') {
                return;
            }
        }
        throw error("missing ), unterminated comment", start);
    }

    private void openGroup(int number, boolean verboseOutside) {
        open.push(new int[] {number, verboseOutside ? 1 : 0});
    }

    private void close() {
        if (open.isEmpty()) {
            throw error("unbalanced parenthesis", at);
        }
        int[] group = open.pop();
        if (group[0] > 0) {
            closedGroups.add(group[0]);
        }
        verbose = group[1] == 1;
        out.append(')');
        at++;
    }

    private void backReference(int group) {
        if (!closedGroups.contains(group)) {
            throw error("cannot refer to an open group", at);
        }
        // Grouped, so that a digit after it can never be read as part of the number.
        out.append("(?:\\").append(group).append(')');
    }

    /** {@code {m,n}} and its short forms, or a literal brace as Python reads one that starts no quantifier. */
    private void brace() {
        int j = at + 1;
        int loStart = j;
        while (j < source.length() && isAsciiDigit(source.charAt(j))) {
            j++;
        }
        String lo = source.substring(loStart, j);
        String hi = lo;
        boolean comma = j < source.length() && source.charAt(j) == ',';
        if (comma) {
            int hiStart = ++j;
            while (j < source.length() && isAsciiDigit(source.charAt(j))) {
                j++;
            }
            hi = source.substring(hiStart, j);
        }
        boolean quantifier = j < source.length() && source.charAt(j) == '}' && (comma || !lo.isEmpty());
        if (!quantifier) {
            out.append("\\{");
            at++;
            return;
        }
        out.append('{').append(lo.isEmpty() ? "0" : lo);
        if (comma) {
            out.append(',').append(hi);
        }
        out.append('}');
        at = j + 1;
    }

    private void characterClass() {
        int start = at;
        at++;
        out.append('[');
        if (source.startsWith("^", at)) {
            out.append('^');
            at++;
        }
        boolean empty = true;
        while (true) {
            if (at >= source.length()) {
                throw error("unterminated character set", start);
            }
            char c = source.charAt(at);
            if (c == ']' && !empty) {
                out.append(']');
                at++;
                return;
            }
            if (c == '\\') {
                escape(true);
            } else {
                if (c == '[' || c == '&' || c == ']') {
                    out.append('\\'); // a literal in Python; a nested class or intersection in Java
                }
                out.append(c);
                at++;
            }
            empty = false;
        }
    }

    private void escape(boolean inClass) {
        int start = at;
        if (at + 1 >= source.length()) {
            throw error("bad escape (end of pattern)", at);
        }
        int e = source.codePointAt(at + 1);
        at += 1 + Character.charCount(e);
        switch (e) {
            case 'd', 'D', 's', 'S', 'w', 'W', 'f', 'n', 'r', 't' -> out.append('\\').append((char) e);
            case 'A', 'B' -> {
                if (inClass) {
                    throw error("bad escape \\" + (char) e, start);
                }
                out.append('\\').append((char) e);
            }
            case 'Z' -> {
                if (inClass) {
                    throw error("bad escape \\Z", start);
                }
                out.append("\\z"); // end of text; Java's \Z would also stop before a final newline
            }
            case 'b' -> out.append(inClass ? "\\x08" : "\\b");
            case 'a' -> literal(0x07);
            case 'v' -> literal(0x0B); // Java's \v is a class of vertical whitespace
            case 'x' -> literal(hex(2, start, "\\x"));
            case 'u' -> literal(hex(4, start, "\\u"));
            case 'U' -> {
                int codePoint = hex(8, start, "\\U");
                if (!Character.isValidCodePoint(codePoint)) {
                    throw error("bad escape " + source.substring(start, at), start);
                }
                literal(codePoint);
            }
            case 'N' -> literal(namedCharacter(start));
            case '0' -> literal(octal(0, 2));
            case '1', '2', '3', '4', '5', '6', '7', '8', '9' -> digitEscape(e - '0', inClass, start);
            default -> {
                if (e < 128 && Character.isLetter(e)) {
                    throw error("bad escape \\" + (char) e, start);
                }
                literal(e);
            }
        }
    }

    /** {@code \1}..{@code \99} is a group reference, three octal digits an octal escape; in a class only octal. */
    private void digitEscape(int first, boolean inClass, int start) {
        if (inClass) {
            if (first > 7) {
                throw error("bad escape \\" + first, start);
            }
            int value = octal(first, 2);
            if (value > 0377) {
                throw error("octal escape value \\" + Integer.toOctalString(value) + " outside of range 0-0o377", start);
            }
            literal(value);
            return;
        }
        if (at < source.length() && isAsciiDigit(source.charAt(at))) {
            int second = source.charAt(at) - '0';
            boolean threeOctal = first < 8 && second < 8 && at + 1 < source.length()
                    && source.charAt(at + 1) >= '0' && source.charAt(at + 1) <= '7';
            if (threeOctal) {
                int value = first * 64 + second * 8 + (source.charAt(at + 1) - '0');
                at += 2;
                if (value > 0377) {
                    throw error("octal escape value \\" + Integer.toOctalString(value) + " outside of range 0-0o377", start);
                }
                literal(value);
                return;
            }
            at++;
            first = first * 10 + second;
        }
        if (first > groupCount) {
            throw error("invalid group reference " + first, start + 1);
        }
        backReference(first);
    }

    /** Octal digits after the first (already read), at most {@code more}. */
    private int octal(int value, int more) {
        for (int k = 0; k < more && at < source.length() && source.charAt(at) >= '0' && source.charAt(at) <= '7'; k++) {
            value = value * 8 + (source.charAt(at++) - '0');
        }
        return value;
    }

    private int hex(int digits, int start, String escape) {
        int end = at;
        while (end < source.length() && end - at < digits && Character.digit(source.charAt(end), 16) >= 0
                && source.charAt(end) < 128) {
            end++;
        }
        if (end - at != digits) {
            throw error("incomplete escape " + escape + source.substring(at, end), start);
        }
        long value = Long.parseLong(source.substring(at, end), 16);
        at = end;
        return value > Integer.MAX_VALUE ? -1 : (int) value;
    }

    private int namedCharacter(int start) {
        if (!source.startsWith("{", at)) {
            throw error("missing {", at);
        }
        at++;
        String name = readUntil('}', "character name");
        try {
            return Character.codePointOf(name);
        } catch (IllegalArgumentException e) {
            throw error("undefined character name '" + name + "'", start);
        }
    }

    /** A character, written so that Java reads it as itself anywhere: in or out of a class, or ending a range. */
    private void literal(int codePoint) {
        out.append("\\x{").append(Integer.toHexString(codePoint)).append('}');
    }

    /** A group name or character name up to {@code end}, checked as Python checks it. */
    private String readUntil(char end, String what) {
        int close = source.indexOf(end, at);
        if (close < 0) {
            throw error("missing " + end + ", unterminated name", at);
        }
        String name = source.substring(at, close);
        if (name.isEmpty()) {
            throw error("missing " + what, at);
        }
        if (what.equals("group name") && !isIdentifier(name)) {
            throw error("bad character in group name '" + name + "'", at);
        }
        at = close + 1;
        return name;
    }

    private PatternSyntaxException error(String description, int index) {
        return new PatternSyntaxException(description, source, index);
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == '\f';
    }

    private static boolean isAsciiDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Python's {@code str.isidentifier()}, close enough: a letter or {@code _}, then letters, digits or {@code _}. */
    private static boolean isIdentifier(String name) {
        int first = name.codePointAt(0);
        if (first != '_' && !Character.isUnicodeIdentifierStart(first)) {
            return false;
        }
        return name.codePoints().skip(1).allMatch(c -> c == '_' || Character.isUnicodeIdentifierPart(c));
    }
}
