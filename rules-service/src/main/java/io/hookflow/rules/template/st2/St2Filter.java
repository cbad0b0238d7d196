package io.hookflow.rules.template.st2;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.List;
import java.util.Map;

/**
 * One of StackStorm's filters: a Python function {@code name(value, p1=..., p2=...)} whose arguments may be given by
 * position or by name, as Jinja allows. A failure names the filter and what was wrong, never a Java class.
 */
abstract class St2Filter implements Filter {

    private final String name;
    private final List<String> parameters;

    St2Filter(String name, String... parameters) {
        this.name = name;
        this.parameters = List.of(parameters);
    }

    @Override
    public String getName() {
        return name;
    }

    /** The filter's work; {@code maxChars} bounds what it may produce. */
    abstract Object apply(Object value, Args args, long maxChars);

    @Override
    public Object filter(Object value, JinjavaInterpreter interpreter, String... args) {
        return filter(value, interpreter, args, Map.of());
    }

    @Override
    public Object filter(Object value, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        long maxChars = interpreter == null || interpreter.getConfig().getMaxOutputSize() <= 0 ? Long.MAX_VALUE
                : interpreter.getConfig().getMaxOutputSize();
        try {
            return apply(value, new Args(args, kwargs), maxChars);
        } catch (IllegalArgumentException | IndexOutOfBoundsException | UnsupportedOperationException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), null);
        }
    }

    @Override
    public boolean preserveSafeString() {
        return false;
    }

    /** Python's {@code str(value)}: filters that take text take any value as its text. */
    static String text(Object value) {
        return PyText.str(value);
    }

    /** The arguments of one call, by Python parameter name. */
    final class Args {

        private final Object[] positional;
        private final Map<String, Object> named;

        Args(Object[] positional, Map<String, Object> named) {
            this.positional = positional == null ? new Object[0] : positional;
            this.named = named == null ? Map.of() : named;
            if (this.positional.length > parameters.size()) {
                throw new IllegalArgumentException("takes at most " + parameters.size() + " arguments, got "
                        + this.positional.length);
            }
            for (String given : this.named.keySet()) {
                if (!parameters.contains(given)) {
                    throw new IllegalArgumentException("unexpected argument '" + given + "'; it takes " + parameters);
                }
            }
        }

        boolean has(String parameter) {
            int index = parameters.indexOf(parameter);
            return index < positional.length || named.containsKey(parameter);
        }

        Object get(String parameter, Object fallback) {
            int index = parameters.indexOf(parameter);
            if (index < positional.length) {
                return positional[index];
            }
            return named.getOrDefault(parameter, fallback);
        }

        Object required(String parameter) {
            if (!has(parameter)) {
                throw new IllegalArgumentException("missing argument '" + parameter + "'");
            }
            return get(parameter, null);
        }

        /** Python's truth of an argument: {@code ignorecase=True}, {@code 1}, a non-empty string. */
        boolean flag(String parameter, boolean fallback) {
            Object value = get(parameter, fallback);
            if (value instanceof Boolean flag) {
                return flag;
            }
            if (value instanceof Number number) {
                return number.doubleValue() != 0;
            }
            return value != null && !text(value).isEmpty();
        }

        Integer integer(String parameter, Integer fallback) {
            Object value = get(parameter, fallback);
            if (value == null) {
                return null;
            }
            if (value instanceof Number number) {
                return number.intValue();
            }
            try {
                return Integer.parseInt(text(value).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + parameter + "' must be a whole number, got " + PyText.repr(value));
            }
        }
    }
}
