package io.hookflow.rules.criteria;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.rules.regex.BoundedCharSequence;
import io.hookflow.rules.regex.PythonRegex;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The pattern-matching operators. Regex patterns are Python's ({@link PythonRegex} translates them); wildcards are
 * fnmatch's. Patterns are compiled once and cached (rule patterns are few and stable; a pattern
 * rendered from the trigger may vary, so the cache is bounded), and every match runs under a step budget so that a
 * pathological pattern on a long value gives up (no match) instead of hanging the consumer.
 */
final class RegexOperator implements CriteriaOperator {

    enum Mode { SEARCH, MATCH, WILDCARD }

    private static final int CACHE_LIMIT = 1000;

    private final int flags;
    private final Mode mode;
    private final Map<String, Pattern> compiled = new ConcurrentHashMap<>();

    RegexOperator(int flags, Mode mode) {
        this.flags = flags;
        this.mode = mode;
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
        Matcher matcher = regex.matcher(PythonRegex.bounded(value.textValue()));
        try {
            return switch (mode) {
                case SEARCH -> matcher.find();
                case MATCH -> matcher.lookingAt();
                case WILDCARD -> matcher.matches();
            };
        } catch (BoundedCharSequence.BudgetExceeded e) {
            return false;
        }
    }

    @Override
    public Optional<String> checkPattern(JsonNode pattern) {
        if (!pattern.isTextual()) {
            return Optional.of(mode == Mode.WILDCARD ? "must be a wildcard string such as 'build-*'"
                    : "must be a regular expression string");
        }
        try {
            compile(pattern.textValue());
            return Optional.empty();
        } catch (PatternSyntaxException e) {
            return Optional.of("invalid regular expression: " + e.getDescription()
                    + (e.getIndex() >= 0 ? " at position " + e.getIndex() : ""));
        }
    }

    private Pattern compile(String pattern) {
        if (compiled.size() > CACHE_LIMIT) {
            compiled.clear();
        }
        return compiled.computeIfAbsent(pattern,
                p -> mode == Mode.WILDCARD ? Pattern.compile(Wildcards.toRegex(p), flags) : PythonRegex.compile(p, flags).pattern());
    }
}
