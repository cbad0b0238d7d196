package io.hookflow.rules.criteria;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The criteria operators by name, aliases included, with StackStorm's semantics (st2common/operators.py). Names are
 * case-insensitive as in StackStorm. The set is meant to grow to StackStorm's full list (matchwildcard, iregex,
 * icontains, endswith, timediff_lt, inside, search, ...); each one is a single registration here.
 */
public final class OperatorRegistry {

    private static final OperatorRegistry STANDARD = createStandard();

    private final Map<String, CriteriaOperator> operators;

    private OperatorRegistry(Map<String, CriteriaOperator> operators) {
        this.operators = Collections.unmodifiableMap(new LinkedHashMap<>(operators));
    }

    public static OperatorRegistry standard() {
        return STANDARD;
    }

    public Optional<CriteriaOperator> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(operators.get(name.toLowerCase(Locale.ROOT)));
    }

    public Set<String> names() {
        return operators.keySet();
    }

    private static OperatorRegistry createStandard() {
        Map<String, CriteriaOperator> ops = new LinkedHashMap<>();

        CriteriaOperator equals = withPattern((value, pattern) -> PythonValues.equal(value, pattern));
        register(ops, equals, "equals", "eq");
        // Unlike the others, nequals has no "pattern is None" guard in StackStorm: an absent value differs from any pattern.
        register(ops, new CriteriaOperator() {
            @Override
            public boolean test(JsonNode value, JsonNode pattern) {
                return !PythonValues.equal(value, PythonValues.nullToNone(pattern));
            }
        }, "nequals", "neq");
        register(ops, strings((value, pattern) -> value.toLowerCase(Locale.ROOT).equals(pattern.toLowerCase(Locale.ROOT))),
                "iequals", "ieq");
        register(ops, withPattern(OperatorRegistry::contains), "contains");
        register(ops, strings(String::startsWith), "startswith");
        register(ops, withPattern((value, pattern) -> {
            Integer order = PythonValues.compare(value, pattern);
            return order != null && order < 0;
        }), "lessthan", "lt");
        register(ops, withPattern((value, pattern) -> {
            Integer order = PythonValues.compare(value, pattern);
            return order != null && order > 0;
        }), "greaterthan", "gt");
        // Python's re.search: the pattern may match anywhere.
        register(ops, new RegexOperator(0, false), "regex");
        // Python's re.match with DOTALL: anchored at the start, '.' crosses newlines (deprecated in StackStorm, kept for old rules).
        register(ops, new RegexOperator(Pattern.DOTALL, true), "matchregex");
        register(ops, new CriteriaOperator() {
            @Override
            public boolean test(JsonNode value, JsonNode pattern) {
                return value != null;
            }

            @Override
            public boolean requiresPattern() {
                return false;
            }
        }, "exists");
        register(ops, new CriteriaOperator() {
            @Override
            public boolean test(JsonNode value, JsonNode pattern) {
                return value == null;
            }

            @Override
            public boolean requiresPattern() {
                return false;
            }
        }, "nexists");
        return new OperatorRegistry(ops);
    }

    private static void register(Map<String, CriteriaOperator> ops, CriteriaOperator operator, String... names) {
        for (String name : names) {
            ops.put(name, operator);
        }
    }

    /** Python {@code pattern in value}: a substring of a string, an element of a list, a key of a dict. */
    private static boolean contains(JsonNode value, JsonNode pattern) {
        if (value == null) {
            return false;
        }
        if (value.isTextual()) {
            return pattern.isTextual() && value.textValue().contains(pattern.textValue());
        }
        if (value.isArray()) {
            for (JsonNode element : value) {
                if (PythonValues.equal(PythonValues.nullToNone(element), pattern)) {
                    return true;
                }
            }
            return false;
        }
        if (value.isObject()) {
            return pattern.isTextual() && value.has(pattern.textValue());
        }
        return false;
    }

    /** The StackStorm guard shared by most operators: no pattern, no match. */
    private static CriteriaOperator withPattern(BiPredicate<JsonNode, JsonNode> test) {
        return (value, pattern) -> {
            JsonNode given = PythonValues.nullToNone(pattern);
            return given != null && test.test(value, given);
        };
    }

    /** String methods in Python raise on anything but strings; that means no match. */
    private static CriteriaOperator strings(BiPredicate<String, String> test) {
        return withPattern((value, pattern) -> value != null && value.isTextual() && pattern.isTextual()
                && test.test(value.textValue(), pattern.textValue()));
    }

    private static final class RegexOperator implements CriteriaOperator {

        private static final int CACHE_LIMIT = 1000;

        private final int flags;
        private final boolean anchoredAtStart;
        private final Map<String, Pattern> compiled = new ConcurrentHashMap<>();

        RegexOperator(int flags, boolean anchoredAtStart) {
            this.flags = flags;
            this.anchoredAtStart = anchoredAtStart;
        }

        @Override
        public boolean test(JsonNode value, JsonNode pattern) {
            if (value == null || !value.isTextual() || pattern == null || !pattern.isTextual()) {
                return false;
            }
            Pattern regex;
            try {
                regex = compile(pattern.textValue());
            } catch (PatternSyntaxException e) {
                return false;
            }
            var matcher = regex.matcher(value.textValue());
            return anchoredAtStart ? matcher.lookingAt() : matcher.find();
        }

        @Override
        public Optional<String> checkPattern(JsonNode pattern) {
            if (pattern == null || !pattern.isTextual()) {
                return Optional.of("must be a regular expression string");
            }
            try {
                Pattern.compile(pattern.textValue(), flags);
                return Optional.empty();
            } catch (PatternSyntaxException e) {
                return Optional.of("invalid regular expression: " + e.getDescription());
            }
        }

        private Pattern compile(String pattern) {
            // Rules are few and their patterns stable; the limit only guards against unbounded growth.
            if (compiled.size() > CACHE_LIMIT) {
                compiled.clear();
            }
            return compiled.computeIfAbsent(pattern, p -> Pattern.compile(p, flags));
        }
    }
}
