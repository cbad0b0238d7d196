package io.hookflow.rules.template.st2;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * Values as Python writes them, which is what a StackStorm template prints: {@code str()} for output ({@code True},
 * {@code None}, {@code ['a', 'b']}, {@code {'k': 1}}) and {@code repr()} inside containers. Lists, maps and
 * map entries (Python's tuples from {@code dict.items()}) are the containers templates meet.
 */
public final class PyText {

    private PyText() {
    }

    /** Python's {@code str(value)}. */
    public static String str(Object value) {
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof Map<?, ?> || value instanceof Collection<?> || value instanceof Map.Entry<?, ?>) {
            return repr(value);
        }
        return scalar(value);
    }

    /** Python's {@code repr(value)}. */
    public static String repr(Object value) {
        StringBuilder out = new StringBuilder();
        appendRepr(value, out);
        return out.toString();
    }

    private static void appendRepr(Object value, StringBuilder out) {
        if (value instanceof CharSequence text) {
            appendQuoted(text.toString(), out);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
            while (entries.hasNext()) {
                Map.Entry<?, ?> entry = entries.next();
                appendRepr(entry.getKey(), out);
                out.append(": ");
                appendRepr(entry.getValue(), out);
                if (entries.hasNext()) {
                    out.append(", ");
                }
            }
            out.append('}');
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            Iterator<?> items = list.iterator();
            while (items.hasNext()) {
                appendRepr(items.next(), out);
                if (items.hasNext()) {
                    out.append(", ");
                }
            }
            out.append(']');
        } else if (value instanceof Map.Entry<?, ?> pair) {
            out.append('(');
            appendRepr(pair.getKey(), out);
            out.append(", ");
            appendRepr(pair.getValue(), out);
            out.append(')');
        } else {
            out.append(scalar(value));
        }
    }

    private static String scalar(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof Boolean flag) {
            return flag ? "True" : "False";
        }
        if (value instanceof Double || value instanceof Float) {
            return pyFloat(((Number) value).doubleValue());
        }
        if (value instanceof BigDecimal decimal) {
            return pyFloat(decimal.doubleValue());
        }
        return value.toString();
    }

    /** Python's {@code repr(float)}: shortest digits, {@code 1.0} not {@code 1}, exponent from 1e16 and below 1e-4. */
    public static String pyFloat(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return 1 / value < 0 ? "-0.0" : "0.0";
        }
        BigDecimal decimal = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        int exponent = decimal.precision() - decimal.scale() - 1;
        if (exponent < -4 || exponent >= 16) {
            String digits = decimal.unscaledValue().abs().toString();
            StringBuilder out = new StringBuilder(value < 0 ? "-" : "").append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append('e').append(exponent < 0 ? '-' : '+');
            if (Math.abs(exponent) < 10) {
                out.append('0');
            }
            return out.append(Math.abs(exponent)).toString();
        }
        String plain = decimal.toPlainString();
        return plain.indexOf('.') < 0 ? plain + ".0" : plain;
    }

    /** A string as Python's repr quotes it: single quotes unless the text has one and no double quote. */
    private static void appendQuoted(String text, StringBuilder out) {
        char quote = text.indexOf('\'') >= 0 && text.indexOf('"') < 0 ? '"' : '\'';
        out.append(quote);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == quote || c == '\\') {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x20 || c >= 0x7f && c < 0xa0) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append(quote);
    }
}
