package io.hookflow.rules.criteria;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;

/**
 * StackStorm's criteria operators by name, aliases included, with the semantics of st2common/operators.py: each is a
 * Python expression on decoded JSON, and where Python would raise (a list has no {@code lower()}, {@code None in "x"})
 * the criterion simply does not match. Names are case-insensitive as in StackStorm. {@code search} is compiled per
 * criterion (it carries nested criteria) and lives in {@link Criteria}.
 */
public final class OperatorRegistry {

    public static final String SEARCH = "search";

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

    /** Every operator name, {@code search} included. */
    public Set<String> names() {
        return operators.keySet();
    }

    private static OperatorRegistry createStandard() {
        Map<String, CriteriaOperator> ops = new LinkedHashMap<>();
        register(ops, withPattern(PythonValues::equal), "equals", "eq");
        // nequals alone has no "pattern is None" guard in StackStorm: an absent value differs from any pattern.
        register(ops, (value, pattern) -> !PythonValues.equal(value, PythonValues.nullToNone(pattern)), "nequals", "neq");
        register(ops, strings((value, pattern) -> lower(value).equals(lower(pattern))), "iequals", "ieq");
        register(ops, withPattern((value, pattern) -> PythonValues.contains(value, pattern)), "contains");
        register(ops, withPattern((value, pattern) -> value != null && PythonValues.containsDefined(value, pattern)
                && !PythonValues.contains(value, pattern)), "ncontains");
        register(ops, strings((value, pattern) -> lower(value).contains(lower(pattern))), "icontains");
        register(ops, strings((value, pattern) -> !lower(value).contains(lower(pattern))), "incontains");
        register(ops, strings(String::startsWith), "startswith");
        register(ops, strings((value, pattern) -> lower(value).startsWith(lower(pattern))), "istartswith");
        register(ops, strings(String::endsWith), "endswith");
        register(ops, strings((value, pattern) -> lower(value).endsWith(lower(pattern))), "iendswith");
        register(ops, withPattern((value, pattern) -> {
            Integer order = PythonValues.compare(value, pattern);
            return order != null && order < 0;
        }), "lessthan", "lt");
        register(ops, withPattern((value, pattern) -> {
            Integer order = PythonValues.compare(value, pattern);
            return order != null && order > 0;
        }), "greaterthan", "gt");
        // fnmatch: the whole value must match the shell-style pattern.
        register(ops, new RegexOperator(0, RegexOperator.Mode.WILDCARD), "matchwildcard");
        // re.match with DOTALL: anchored at the start, '.' crosses newlines (deprecated in StackStorm, kept for old rules).
        register(ops, new RegexOperator(Pattern.DOTALL, RegexOperator.Mode.MATCH), "matchregex");
        // re.search: the pattern may match anywhere.
        register(ops, new RegexOperator(0, RegexOperator.Mode.SEARCH), "regex");
        register(ops, new RegexOperator(Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE, RegexOperator.Mode.SEARCH), "iregex");
        register(ops, new TimeDiff(true), "timediff_lt", "td_lt");
        register(ops, new TimeDiff(false), "timediff_gt", "td_gt");
        register(ops, new Presence(true), "exists");
        register(ops, new Presence(false), "nexists");
        register(ops, withPattern((value, pattern) -> PythonValues.contains(pattern, value)), "inside", "in");
        register(ops, withPattern((value, pattern) -> PythonValues.containsDefined(pattern, value)
                && !PythonValues.contains(pattern, value)), "ninside", "nin");
        ops.put(SEARCH, new SearchPlaceholder());
        return new OperatorRegistry(ops);
    }

    private static void register(Map<String, CriteriaOperator> ops, CriteriaOperator operator, String... names) {
        for (String name : names) {
            ops.put(name, operator);
        }
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
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

    /** exists / nexists: about the value alone; no pattern needed (StackStorm #6197). */
    private record Presence(boolean wanted) implements CriteriaOperator {

        @Override
        public boolean test(JsonNode value, JsonNode pattern) {
            return (value != null) == wanted;
        }

        @Override
        public boolean requiresPattern() {
            return false;
        }
    }

    /** timediff_lt / timediff_gt: seconds elapsed since the value's timestamp, compared with the pattern. */
    private record TimeDiff(boolean lessThan) implements CriteriaOperator {

        @Override
        public boolean test(JsonNode value, JsonNode pattern) {
            if (value == null || !value.isTextual() || pattern == null || !pattern.isNumber()) {
                return false;
            }
            Optional<Instant> then = Timestamps.parse(value.textValue());
            if (then.isEmpty()) {
                return false;
            }
            double elapsed = Duration.between(then.get(), Instant.now()).toNanos() / 1e9;
            return lessThan ? elapsed < pattern.doubleValue() : elapsed > pattern.doubleValue();
        }

        @Override
        public Optional<String> checkPattern(JsonNode pattern) {
            return pattern.isNumber() ? Optional.empty() : Optional.of("must be a number of seconds");
        }
    }

    /** Stands in the name table so that {@code search} is known; {@link Criteria} compiles the real one. */
    private static final class SearchPlaceholder implements CriteriaOperator {

        @Override
        public boolean test(JsonNode value, JsonNode pattern) {
            throw new IllegalStateException("search is compiled per criterion");
        }
    }
}
