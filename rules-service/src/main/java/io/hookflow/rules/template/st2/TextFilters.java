package io.hookflow.rules.template.st2;

import com.hubspot.jinjava.objects.SafeString;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * StackStorm's path and time filters (path.py, time.py) and Jinja's {@code urlencode}. ({@code decrypt_kv} needs the
 * rendering's datastore: it is the Jinja engine's own, jinja/DecryptKvFilter.)
 */
final class TextFilters {

    private TextFilters() {
    }

    static List<St2Filter> all() {
        return List.of(
                new St2Filter("basename") {
                    @Override
                    Object apply(Object value, Args args, long maxChars) {
                        String path = text(value);
                        return path.substring(path.lastIndexOf('/') + 1);
                    }
                },
                new St2Filter("dirname") {
                    @Override
                    Object apply(Object value, Args args, long maxChars) {
                        // posixpath.dirname: the head keeps a root made only of slashes, else loses trailing ones.
                        String path = text(value);
                        String head = path.substring(0, path.lastIndexOf('/') + 1);
                        if (!head.isEmpty() && !head.chars().allMatch(c -> c == '/')) {
                            head = head.replaceAll("/+$", "");
                        }
                        return head;
                    }
                },
                new St2Filter("to_human_time_from_seconds") {
                    @Override
                    Object apply(Object value, Args args, long maxChars) {
                        if (!(value instanceof Number seconds) || value instanceof java.math.BigInteger) {
                            throw new IllegalArgumentException("takes a number of seconds, got " + PyText.repr(value));
                        }
                        return humanTime(seconds);
                    }
                },
                new St2Filter("urlencode") {
                    @Override
                    Object apply(Object value, Args args, long maxChars) {
                        return new SafeString(urlencode(value));
                    }
                });
    }

    /** st2's {@code _get_human_time}, quirks included (days are the day of the month past 1 January of year 1). */
    static String humanTime(Number seconds) {
        double value = seconds.doubleValue();
        if (value == 0) {
            return "0s";
        }
        if (value < 1) {
            return PyText.str(seconds) + "\u03BCs";
        }
        long whole = seconds instanceof Double || seconds instanceof Float ? Math.round(value) : seconds.longValue();
        LocalDateTime offset = LocalDateTime.of(1, 1, 1, 0, 0).plusSeconds(whole);
        long[] parts = {offset.getYear() - 1, offset.getDayOfMonth() - 1, offset.getHour(), offset.getMinute(),
                offset.getSecond()};
        int first = 0;
        while (first < parts.length && parts[first] == 0) {
            first++;
        }
        if (first == parts.length) {
            return "0s";
        }
        String[] units = {"y", "d", "h", "m", "s"};
        StringBuilder out = new StringBuilder();
        for (int i = first; i < parts.length; i++) {
            out.append(parts[i]).append(units[i]);
        }
        return out.toString();
    }

    /**
     * Jinja's {@code urlencode}: a string percent-encoded with {@code /} kept, a mapping or a list of pairs as a query
     * string. Its result is marked safe, so the url encoder does not encode it twice.
     */
    static String urlencode(Object value) {
        if (value instanceof Map<?, ?> map) {
            List<String> pairs = new ArrayList<>();
            map.forEach((key, item) -> pairs.add(quote(PyText.str(key), true) + "=" + quote(PyText.str(item), true)));
            return String.join("&", pairs);
        }
        if (value instanceof Collection<?> items) {
            List<String> pairs = new ArrayList<>();
            for (Object item : items) {
                if (!(item instanceof List<?> pair) || pair.size() != 2) {
                    throw new IllegalArgumentException("takes a string, a mapping or a list of (key, value) pairs");
                }
                pairs.add(quote(PyText.str(pair.get(0)), true) + "=" + quote(PyText.str(pair.get(1)), true));
            }
            return String.join("&", pairs);
        }
        return quote(PyText.str(value), false);
    }

    /** Python's {@code quote}: unreserved characters stay, {@code /} too outside a query string. */
    private static String quote(String text, boolean forQuery) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
                    || c == '~' || c == '/' && !forQuery) {
                out.append((char) c);
            } else if (c == ' ' && forQuery) {
                out.append('+');
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
