package io.hookflow.rules.regex;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * The replacement of {@code re.sub}, read as Python 3.11 reads it ({@code re/_parser.py}, {@code parse_template}):
 * literal text and group references ({@code \1}, {@code \g<1>}, {@code \g<name>}), with {@code \n}, {@code \t} and
 * the like, octal escapes ({@code \0}, {@code \012}) resolved; an unknown ASCII-letter escape is refused.
 */
final class PythonReplacement {

    /** A literal ({@link String}) or a group number ({@link Integer}), in order. */
    private final List<Object> parts;

    private PythonReplacement(List<Object> parts) {
        this.parts = parts;
    }

    /** @throws IllegalArgumentException when Python would refuse the replacement, with Python's message */
    static PythonReplacement parse(String replacement, int groupCount, Map<String, Integer> names) {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        int n = replacement.length();
        while (i < n) {
            char c = replacement.charAt(i);
            if (c != '\\') {
                literal.append(c);
                i++;
                continue;
            }
            if (i + 1 >= n) {
                throw new IllegalArgumentException("bad escape (end of pattern) in the replacement");
            }
            char next = replacement.charAt(i + 1);
            i += 2;
            Integer group = null;
            if (next == 'g') {
                if (i >= n || replacement.charAt(i) != '<') {
                    throw new IllegalArgumentException("missing < in the replacement");
                }
                int close = replacement.indexOf('>', i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("missing >, unterminated name in the replacement");
                }
                group = named(replacement.substring(i + 1, close), names);
                i = close + 1;
            } else if (next == '0') {
                int end = octalEnd(replacement, i, 2);
                literal.append((char) (Integer.parseInt(replacement.substring(i - 1, end), 8) & 0xff));
                i = end;
                continue;
            } else if (isDigit(next)) {
                boolean twoDigits = i < n && isDigit(replacement.charAt(i));
                if (twoDigits && isOctal(next) && isOctal(replacement.charAt(i)) && i + 1 < n
                        && isOctal(replacement.charAt(i + 1))) {
                    int value = Integer.parseInt(replacement.substring(i - 1, i + 2), 8);
                    if (value > 0377) {
                        throw new IllegalArgumentException("octal escape value \\" + replacement.substring(i - 1, i + 2)
                                + " outside of range 0-0o377 in the replacement");
                    }
                    literal.append((char) value);
                    i += 2;
                    continue;
                }
                int end = twoDigits ? i + 1 : i;
                group = Integer.parseInt(replacement.substring(i - 1, end));
                i = end;
            } else {
                literal.append(switch (next) {
                    case 'a' -> "\u0007";
                    case 'b' -> "\b";
                    case 'f' -> "\f";
                    case 'n' -> "\n";
                    case 'r' -> "\r";
                    case 't' -> "\t";
                    case 'v' -> "\u000B";
                    case '\\' -> "\\";
                    default -> {
                        if (next < 128 && Character.isLetter(next)) {
                            throw new IllegalArgumentException("bad escape \\" + next + " in the replacement");
                        }
                        yield "\\" + next; // Python keeps an unknown non-letter escape as it is
                    }
                });
                continue;
            }
            if (group > groupCount) {
                throw new IllegalArgumentException("invalid group reference " + group + " in the replacement");
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
        return new PythonReplacement(List.copyOf(parts));
    }

    /** Appends the replacement for the matcher's current match; a group that did not take part adds nothing. */
    void appendTo(StringBuilder out, Matcher matcher) {
        for (Object part : parts) {
            if (part instanceof Integer group) {
                String value = matcher.group(group);
                out.append(value == null ? "" : value);
            } else {
                out.append((String) part);
            }
        }
    }

    private static int named(String name, Map<String, Integer> names) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("missing group name in the replacement");
        }
        if (name.chars().allMatch(PythonReplacement::isDigit)) {
            return name.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(name);
        }
        Integer group = names.get(name);
        if (group != null) {
            return group;
        }
        boolean identifier = (Character.isUnicodeIdentifierStart(name.codePointAt(0)) || name.charAt(0) == '_')
                && name.codePoints().allMatch(ch -> ch == '_' || Character.isUnicodeIdentifierPart(ch));
        throw new IllegalArgumentException(identifier ? "unknown group name '" + name + "' in the replacement"
                : "bad character in group name '" + name + "' in the replacement");
    }

    private static int octalEnd(String s, int from, int most) {
        int end = from;
        while (end < s.length() && end - from < most && isOctal(s.charAt(end))) {
            end++;
        }
        return end;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isOctal(char c) {
        return c >= '0' && c <= '7';
    }
}
