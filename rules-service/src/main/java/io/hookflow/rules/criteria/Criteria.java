package io.hookflow.rules.criteria;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.common.error.ApiError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A rule's criteria, compiled: every criterion must hold for the rule to fire. An empty set always holds.
 * The StackStorm shape is {@code {"trigger.body.status": {"type": "equals", "pattern": "success"}}}.
 */
public final class Criteria {

    public static final String ROOT = "trigger";

    private final List<Criterion> criteria;

    private Criteria(List<Criterion> criteria) {
        this.criteria = List.copyOf(criteria);
    }

    /** One compiled criterion. */
    public record Criterion(String key, PayloadPath path, String type, CriteriaOperator operator, JsonNode pattern) {

        public boolean matches(JsonNode trigger) {
            return operator.test(path.resolve(trigger), pattern);
        }
    }

    /**
     * Compiles criteria, adding every problem found to {@code problems} (paths under {@code basePath}) rather than
     * stopping at the first, so an API caller can fix them all at once.
     */
    public static Criteria compile(JsonNode node, OperatorRegistry registry, String basePath, List<ApiError.Detail> problems) {
        List<Criterion> compiled = new ArrayList<>();
        if (node == null || node.isNull()) {
            return new Criteria(compiled);
        }
        if (!node.isObject()) {
            problems.add(new ApiError.Detail(basePath, "must be an object of criteria keyed by trigger path"));
            return new Criteria(compiled);
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String key = entry.getKey();
            String at = basePath + "." + key;
            PayloadPath path = null;
            try {
                path = PayloadPath.parse(key);
                if (!ROOT.equals(path.root())) {
                    problems.add(new ApiError.Detail(at, "criteria keys start with 'trigger.', e.g. 'trigger.body.status'"));
                    path = null;
                }
            } catch (PathSyntaxException e) {
                problems.add(new ApiError.Detail(at, "invalid path: " + e.getMessage()));
            }
            JsonNode spec = entry.getValue();
            if (spec == null || !spec.isObject()) {
                problems.add(new ApiError.Detail(at, "must be an object with 'type' and 'pattern'"));
                continue;
            }
            JsonNode typeNode = spec.get("type");
            if (typeNode == null || !typeNode.isTextual() || typeNode.textValue().isBlank()) {
                problems.add(new ApiError.Detail(at + ".type", "is required; one of " + registry.names()));
                continue;
            }
            String type = typeNode.textValue();
            Optional<CriteriaOperator> operator = registry.find(type);
            if (operator.isEmpty()) {
                problems.add(new ApiError.Detail(at + ".type", "unknown operator '" + type + "'; one of " + registry.names()));
                continue;
            }
            JsonNode pattern = PythonValues.nullToNone(spec.get("pattern"));
            if (operator.get().requiresPattern()) {
                if (pattern == null) {
                    problems.add(new ApiError.Detail(at + ".pattern", "is required for operator '" + type + "'"));
                    continue;
                }
                Optional<String> patternProblem = operator.get().checkPattern(pattern);
                if (patternProblem.isPresent()) {
                    problems.add(new ApiError.Detail(at + ".pattern", patternProblem.get()));
                    continue;
                }
            }
            if (path != null) {
                compiled.add(new Criterion(key, path, type, operator.get(), pattern));
            }
        }
        return new Criteria(compiled);
    }

    public boolean matches(JsonNode trigger) {
        return firstMismatch(trigger).isEmpty();
    }

    /** The first criterion that does not hold, for logs and dry runs. */
    public Optional<Criterion> firstMismatch(JsonNode trigger) {
        for (Criterion criterion : criteria) {
            if (!criterion.matches(trigger)) {
                return Optional.of(criterion);
            }
        }
        return Optional.empty();
    }

    public List<Criterion> criteria() {
        return criteria;
    }
}
