package io.hookflow.rules.template.st2;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps} as StackStorm's filters call it: {@code ensure_ascii} (non-ASCII as {@code \\uXXXX}),
 * the separators, {@code indent} and {@code sort_keys} options, floats as Python writes them. Output is bounded by
 * {@code maxLength} while it is written.
 */
public final class PyJson {

    private final Integer indent;
    private final boolean sortKeys;
    private final String itemSeparator;
    private final String keySeparator;
    private final long maxLength;

    public PyJson(Integer indent, boolean sortKeys, String itemSeparator, String keySeparator, long maxLength) {
        this.indent = indent;
        this.sortKeys = sortKeys;
        this.itemSeparator = itemSeparator;
        this.keySeparator = keySeparator;
        this.maxLength = maxLength;
    }

    /** {@code json.dumps(value)} with Python's defaults. */
    public static String dumps(Object value, long maxLength) {
        return new PyJson(null, false, ", ", ": ", maxLength).write(value);
    }

    public String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out, 0);
        return out.toString();
    }

    private void write(Object value, StringBuilder out, int level) {
        if (out.length() > maxLength) {
            throw new IllegalArgumentException("the JSON text exceeds " + maxLength + " characters");
        }
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean flag) {
            out.append(flag ? "true" : "false");
        } else if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            double number = ((Number) value).doubleValue();
            out.append(Double.isNaN(number) ? "NaN" : Double.isInfinite(number) ? (number > 0 ? "Infinity" : "-Infinity")
                    : PyText.pyFloat(number));
        } else if (value instanceof Number) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
            if (sortKeys) {
                entries.sort((a, b) -> key(a.getKey()).compareTo(key(b.getKey())));
            }
            out.append('{');
            for (int i = 0; i < entries.size(); i++) {
                separate(i, out, level);
                quote(key(entries.get(i).getKey()), out);
                out.append(keySeparator);
                write(entries.get(i).getValue(), out, level + 1);
            }
            close('}', entries.isEmpty(), out, level);
        } else if (value instanceof Collection<?> || value instanceof Map.Entry<?, ?>) {
            List<?> items = value instanceof Map.Entry<?, ?> pair ? java.util.Arrays.asList(pair.getKey(), pair.getValue())
                    : new ArrayList<>((Collection<?>) value);
            out.append('[');
            for (int i = 0; i < items.size(); i++) {
                separate(i, out, level);
                write(items.get(i), out, level + 1);
            }
            close(']', items.isEmpty(), out, level);
        } else {
            quote(value.toString(), out);
        }
    }

    /** Python's json turns keys into strings: {@code True} as {@code "true"}, {@code None} as {@code "null"}. */
    private static String key(Object key) {
        if (key == null) {
            return "null";
        }
        if (key instanceof Boolean flag) {
            return flag ? "true" : "false";
        }
        return key instanceof Double || key instanceof Float ? PyText.pyFloat(((Number) key).doubleValue()) : key.toString();
    }

    private void separate(int index, StringBuilder out, int level) {
        if (index > 0) {
            out.append(itemSeparator);
        }
        if (indent != null) {
            newline(out, level + 1);
        }
    }

    private void close(char bracket, boolean empty, StringBuilder out, int level) {
        if (indent != null && !empty) {
            newline(out, level);
        }
        out.append(bracket);
    }

    private void newline(StringBuilder out, int level) {
        out.append('\n');
        out.append(" ".repeat(Math.max(0, indent) * level));
    }

    /** A JSON string with Python's escapes and {@code ensure_ascii}. */
    static void quote(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
