package io.hookflow.rules.criteria;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.common.error.ApiError;
import io.hookflow.rules.payload.PathSyntaxException;
import io.hookflow.rules.payload.PayloadQuery;
import io.hookflow.rules.template.RuleTemplate;
import io.hookflow.rules.template.TemplateSyntaxException;
import io.hookflow.rules.template.Templates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A rule's criteria, compiled: every criterion must hold for the rule to fire. An empty set always holds.
 * The StackStorm shape is {@code {"trigger.body.status": {"type": "equals", "pattern": "success"}}}; a {@code search}
 * criterion holds nested criteria on {@code item.*} applied to each element of a list.
 */
public final class Criteria {

    public static final String ROOT = "trigger";
    static final String ITEM_ROOT = "item";
    static final Set<String> SEARCH_CONDITIONS = Set.of("any", "all", "any2any", "all2any");

    private final List<Criterion> criteria;

    private Criteria(List<Criterion> criteria) {
        this.criteria = List.copyOf(criteria);
    }

    /**
     * One compiled criterion. A pattern that is a template ({@code "{{ trigger.body.expected }}"}) is rendered from the
     * same trigger instance before comparing; one that cannot be rendered does not match.
     */
    public record Criterion(String key, PayloadQuery path, String type, CriteriaOperator operator, JsonNode pattern,
                            RuleTemplate patternTemplate) {

        public boolean matches(JsonNode subject, JsonNode trigger) {
            JsonNode value;
            try {
                value = path.resolve(subject);
            } catch (RuntimeException e) {
                // StackStorm: a key that cannot be looked up makes the criterion fail, whatever the operator.
                return false;
            }
            JsonNode effectivePattern = pattern;
            if (patternTemplate != null) {
                try {
                    effectivePattern = patternTemplate.renderValue(trigger);
                } catch (RuntimeException e) {
                    return false;
                }
            }
            return operator.test(value, effectivePattern);
        }
    }

    /**
     * Compiles criteria, adding every problem found to {@code problems} (paths under {@code basePath}) rather than
     * stopping at the first, so an API caller can fix them all at once.
     */
    public static Criteria compile(JsonNode node, OperatorRegistry registry, String basePath, List<ApiError.Detail> problems) {
        return compile(node, registry, basePath, ROOT, problems);
    }

    static Criteria compile(JsonNode node, OperatorRegistry registry, String basePath, String root,
                            List<ApiError.Detail> problems) {
        List<Criterion> compiled = new ArrayList<>();
        if (node == null || node.isNull()) {
            return new Criteria(compiled);
        }
        if (!node.isObject()) {
            problems.add(new ApiError.Detail(basePath, "must be an object of criteria keyed by " + root + " path"));
            return new Criteria(compiled);
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            compileOne(entry.getKey(), entry.getValue(), registry, basePath + "." + entry.getKey(), root, problems)
                    .ifPresent(compiled::add);
        }
        return new Criteria(compiled);
    }

    private static Optional<Criterion> compileOne(String key, JsonNode spec, OperatorRegistry registry, String at,
                                                  String root, List<ApiError.Detail> problems) {
        PayloadQuery path = null;
        try {
            path = PayloadQuery.parse(key);
            if (!root.equals(path.root())) {
                problems.add(new ApiError.Detail(at, "criteria keys start with '" + root + ".', e.g. '" + root + ".body.status'"));
                path = null;
            }
        } catch (PathSyntaxException e) {
            problems.add(new ApiError.Detail(at, "invalid criteria key: " + e.getMessage()));
        }
        if (spec == null || !spec.isObject()) {
            problems.add(new ApiError.Detail(at, "must be an object with 'type' and 'pattern'"));
            return Optional.empty();
        }
        JsonNode typeNode = spec.get("type");
        if (typeNode == null || !typeNode.isTextual() || typeNode.textValue().isBlank()) {
            problems.add(new ApiError.Detail(at + ".type", "is required; one of " + registry.names()));
            return Optional.empty();
        }
        String type = typeNode.textValue();
        Optional<CriteriaOperator> found = registry.find(type);
        if (found.isEmpty()) {
            problems.add(new ApiError.Detail(at + ".type", "unknown operator '" + type + "'; one of " + registry.names()));
            return Optional.empty();
        }
        JsonNode pattern = PythonValues.nullToNone(spec.get("pattern"));
        if (OperatorRegistry.SEARCH.equalsIgnoreCase(type)) {
            return compileSearch(key, path, type, spec, pattern, registry, at, problems);
        }
        CriteriaOperator operator = found.get();
        RuleTemplate patternTemplate = null;
        if (operator.requiresPattern() && pattern == null) {
            problems.add(new ApiError.Detail(at + ".pattern", "is required for operator '" + type + "'"));
            return Optional.empty();
        }
        if (pattern != null && pattern.isTextual() && Templates.isTemplate(pattern.textValue())) {
            try {
                patternTemplate = Templates.compile(pattern.textValue());
            } catch (TemplateSyntaxException e) {
                problems.add(new ApiError.Detail(at + ".pattern", "template error: " + e.getMessage()));
                return Optional.empty();
            }
        } else if (pattern != null && operator.requiresPattern()) {
            Optional<String> patternProblem = operator.checkPattern(pattern);
            if (patternProblem.isPresent()) {
                problems.add(new ApiError.Detail(at + ".pattern", patternProblem.get()));
                return Optional.empty();
            }
        }
        return path == null ? Optional.empty()
                : Optional.of(new Criterion(key, path, type, operator, pattern, patternTemplate));
    }

    private static Optional<Criterion> compileSearch(String key, PayloadQuery path, String type, JsonNode spec,
                                                     JsonNode pattern, OperatorRegistry registry, String at,
                                                     List<ApiError.Detail> problems) {
        JsonNode conditionNode = spec.get("condition");
        String condition = conditionNode == null || conditionNode.isNull() ? "" : conditionNode.asText();
        if (!SEARCH_CONDITIONS.contains(condition)) {
            problems.add(new ApiError.Detail(at + ".condition", "is required for search: one of " + SEARCH_CONDITIONS));
        }
        if (pattern == null || !pattern.isObject() || pattern.isEmpty()) {
            problems.add(new ApiError.Detail(at + ".pattern",
                    "search takes an object of item criteria, e.g. {\"item.name\": {\"type\": \"equals\", \"pattern\": \"x\"}}"));
            return Optional.empty();
        }
        int before = problems.size();
        Criteria items = compile(pattern, registry, at + ".pattern", ITEM_ROOT, problems);
        if (problems.size() > before || path == null || !SEARCH_CONDITIONS.contains(condition)) {
            return Optional.empty();
        }
        return Optional.of(new Criterion(key, path, type, new SearchOperator(condition, items), pattern, null));
    }

    public boolean matches(JsonNode trigger) {
        return firstMismatch(trigger).isEmpty();
    }

    /** The first criterion that does not hold, for logs and dry runs. */
    public Optional<Criterion> firstMismatch(JsonNode trigger) {
        for (Criterion criterion : criteria) {
            if (!criterion.matches(trigger, trigger)) {
                return Optional.of(criterion);
            }
        }
        return Optional.empty();
    }

    public List<Criterion> criteria() {
        return criteria;
    }

    /**
     * search: {@code any} = some item meets every item criterion, {@code all} = every item does, {@code any2any} = some
     * item meets some criterion, {@code all2any} = every item meets some criterion. Anything but a list does not match.
     */
    private record SearchOperator(String condition, Criteria items) implements CriteriaOperator {

        @Override
        public boolean test(JsonNode value, JsonNode ignored) {
            if (value == null || !value.isArray()) {
                return false;
            }
            boolean everyItem = condition.startsWith("all");
            boolean everyCriterion = !condition.endsWith("2any");
            for (JsonNode item : value) {
                boolean itemMatches = everyCriterion ? matchesAll(item) : matchesAny(item);
                if (everyItem && !itemMatches) {
                    return false;
                }
                if (!everyItem && itemMatches) {
                    return true;
                }
            }
            return everyItem;
        }

        private boolean matchesAll(JsonNode item) {
            return items.criteria.stream().allMatch(criterion -> criterion.matches(item, item));
        }

        private boolean matchesAny(JsonNode item) {
            return items.criteria.stream().anyMatch(criterion -> criterion.matches(item, item));
        }
    }
}
