package io.hookflow.rules.template.jinja;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Jinja filter whose result size its arguments choose ({@code center(1000000000)}, {@code replace('a', huge)},
 * {@code '%999999999d' | format(1)}, {@code batch(1000000000, 'x')}): the size is estimated first and a result larger
 * than the rendering may produce is refused before it is built, not after it has filled the heap.
 */
final class BoundedFilter implements Filter {

    /** The size of the result in characters (or, for lists, a cost compared with the same limit). */
    @FunctionalInterface
    interface Estimate {
        long of(String value, Object[] args, long maxChars);
    }

    private static final Pattern FORMAT_WIDTH = Pattern.compile("%[-#0 +]*(\\d*)(?:\\.(\\d+))?");

    /** The filters whose arguments size their result, and how. */
    static final Map<String, Estimate> ESTIMATES = Map.of(
            "center", (value, args, max) -> Math.max(value.length(), number(args, 0, 80)),
            "indent", (value, args, max) -> value.length()
                    + number(args, 0, 4) * (value.chars().filter(c -> c == '\n').count() + 1),
            "replace", BoundedFilter::replaced,
            "format", BoundedFilter::formatted,
            "batch", (value, args, max) -> collection(number(args, 0, 1), max),
            "slice", (value, args, max) -> collection(number(args, 0, 1), max));

    private final Filter delegate;
    private final Estimate estimate;

    BoundedFilter(Filter delegate, Estimate estimate) {
        this.delegate = delegate;
        this.estimate = estimate;
    }

    @Override
    public String getName() {
        return delegate.getName();
    }

    @Override
    public Object filter(Object value, JinjavaInterpreter interpreter, String... args) {
        check(value, interpreter, args);
        return delegate.filter(value, interpreter, args);
    }

    @Override
    public Object filter(Object value, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        Object[] all = new Object[args.length + kwargs.size()];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(kwargs.values().toArray(), 0, all, args.length, kwargs.size());
        check(value, interpreter, all);
        return delegate.filter(value, interpreter, args, kwargs);
    }

    private void check(Object value, JinjavaInterpreter interpreter, Object[] args) {
        long configured = interpreter.getConfig().getMaxOutputSize();
        long max = configured > 0 ? configured : Long.MAX_VALUE;
        String text = value == null ? "" : value.toString();
        if (estimate.of(text, args, max) > max) {
            throw new IllegalArgumentException(getName() + ": the result would exceed " + max + " characters");
        }
    }

    private static long number(Object[] args, int index, long fallback) {
        if (args.length <= index || args[index] == null) {
            return fallback;
        }
        if (args[index] instanceof Number number) {
            return Math.abs(number.longValue());
        }
        try {
            return Math.abs(Long.parseLong(args[index].toString().strip()));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static long collection(long items, long max) {
        return items > JinjaEngine.MAX_COLLECTION_SIZE ? Long.MAX_VALUE : 0;
    }

    private static long replaced(String value, Object[] args, long max) {
        if (args.length < 2 || args[0] == null || args[1] == null || args[0].toString().isEmpty()) {
            return value.length();
        }
        String old = args[0].toString();
        long growth = args[1].toString().length() - old.length();
        if (growth <= 0) {
            return value.length();
        }
        long occurrences = 0;
        for (int at = value.indexOf(old); at >= 0; at = value.indexOf(old, at + old.length())) {
            occurrences++;
        }
        return value.length() + occurrences * growth;
    }

    private static long formatted(String value, Object[] args, long max) {
        long size = value.length();
        for (Object arg : args) {
            size += arg == null ? 4 : arg.toString().length();
        }
        Matcher widths = FORMAT_WIDTH.matcher(value);
        while (widths.find()) {
            for (int group = 1; group <= 2; group++) {
                String digits = widths.group(group);
                if (digits != null && !digits.isEmpty()) {
                    size += digits.length() > 18 ? Long.MAX_VALUE / 4 : Long.parseLong(digits);
                }
            }
        }
        return size;
    }
}
