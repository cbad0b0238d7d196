package io.hookflow.rules.template.st2;

import io.hookflow.rules.regex.BoundedCharSequence;
import io.hookflow.rules.regex.PythonRegex;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * StackStorm's regex filters (st2common/expressions/functions/regex.py): Python patterns, translated and run under a
 * step budget, so a pathological pattern fails the rendering instead of hanging it.
 */
final class RegexFilters {

    private static final int CACHE_LIMIT = 1000;
    private static final Map<String, PythonRegex> COMPILED = new ConcurrentHashMap<>();

    private RegexFilters() {
    }

    static List<St2Filter> all() {
        return List.of(
                new St2Filter("regex_match", "pattern", "ignorecase") {
                    @Override
                    Object apply(Object value, Args args, long maxChars) {
                        return run(args, regex -> regex.match(text(value)));
                    }
                },
                new St2Filter("regex_search", "pattern", "ignorecase") {
                    @Override
                    Object apply(Object value, Args args, long maxChars) {
                        return run(args, regex -> regex.search(text(value)));
                    }
                },
                new St2Filter("regex_replace", "pattern", "replacement", "ignorecase") {
                    @Override
                    Object apply(Object value, Args args, long maxChars) {
                        String replacement = text(args.required("replacement"));
                        return run(args, regex -> regex.sub(replacement, text(value), maxChars));
                    }
                },
                new St2Filter("regex_substring", "pattern", "result_index", "ignorecase") {
                    @Override
                    Object apply(Object value, Args args, long maxChars) {
                        int index = args.integer("result_index", 0);
                        List<Object> found = run(args, regex -> regex.findall(text(value)));
                        int at = index < 0 ? found.size() + index : index;
                        if (at < 0 || at >= found.size()) {
                            throw new IllegalArgumentException("no match number " + index + " ("
                                    + found.size() + " found)");
                        }
                        return found.get(at);
                    }
                });
    }

    private static <T> T run(St2Filter.Args args, Function<PythonRegex, T> work) {
        String pattern = PyText.str(args.required("pattern"));
        boolean ignoreCase = args.flag("ignorecase", false);
        PythonRegex regex;
        try {
            regex = compiled(pattern, ignoreCase);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regular expression '" + pattern + "': " + e.getDescription());
        }
        try {
            return work.apply(regex);
        } catch (BoundedCharSequence.BudgetExceeded e) {
            throw new IllegalArgumentException("the pattern '" + pattern + "' needs more than "
                    + PythonRegex.STEP_BUDGET + " steps on this value (catastrophic backtracking?)");
        }
    }

    private static PythonRegex compiled(String pattern, boolean ignoreCase) {
        if (COMPILED.size() > CACHE_LIMIT) {
            COMPILED.clear();
        }
        return COMPILED.computeIfAbsent((ignoreCase ? "i:" : "s:") + pattern,
                key -> PythonRegex.compile(pattern, ignoreCase ? Pattern.CASE_INSENSITIVE : 0));
    }
}
