package io.hookflow.rules.criteria;

import java.util.regex.Pattern;

/** Python's fnmatch patterns ({@code *}, {@code ?}, {@code [seq]}, {@code [!seq]}) as Java regexes. */
final class Wildcards {

    private Wildcards() {
    }

    static String toRegex(String wildcard) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        int n = wildcard.length();
        while (i < n) {
            char c = wildcard.charAt(i++);
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else if (c == '[') {
                int j = i;
                if (j < n && wildcard.charAt(j) == '!') {
                    j++;
                }
                if (j < n && wildcard.charAt(j) == ']') {
                    j++;
                }
                while (j < n && wildcard.charAt(j) != ']') {
                    j++;
                }
                if (j >= n) {
                    // fnmatch treats an unclosed '[' as a literal.
                    regex.append("\\[");
                } else {
                    String set = wildcard.substring(i, j).replace("\\", "\\\\");
                    i = j + 1;
                    if (set.startsWith("!")) {
                        set = "^" + set.substring(1);
                    } else if (set.startsWith("^")) {
                        set = "\\" + set;
                    }
                    regex.append('[').append(set.replace("[", "\\[")).append(']');
                }
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        // DOTALL: '*' in fnmatch also crosses newlines.
        return "(?s)" + regex;
    }
}
