package io.hookflow.rules.rule;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A rule as the API shows it: StackStorm's shape plus id, ref and mode, with secrets masked. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RuleView(String id, String ref, String pack, String name, String description, boolean enabled,
                       String mode, Trigger trigger, JsonNode criteria, Action action, Ordering ordering,
                       @JsonProperty("rate_limit") RateLimit rateLimit, Instant createdAt, Instant updatedAt) {

    public static final String MASK = "********";

    @RegisterForReflection
    public record Trigger(String type, JsonNode parameters) {
    }

    @RegisterForReflection
    public record Action(String ref, JsonNode parameters) {
    }

    /** The rule's ordered lanes: executions with the same rendered key are delivered in trigger-instance order. */
    @RegisterForReflection
    @Schema(description = "Ordered lanes: the rule's executions with the same rendered key are delivered one at a time,"
            + " in trigger-instance order. Absent: unordered.")
    public record Ordering(@Schema(description = "A template rendered per trigger instance, e.g. "
            + "{{ trigger.body.repository.id }}") String key) {
    }

    /** The rule's own rate limit, in the shape it is written: {@code rate_limit: {per_second, burst}}. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RateLimit(@JsonProperty("per_second") double perSecond, Integer burst) {
    }

    public static RuleView of(Rule rule) {
        return new RuleView(rule.id.toString(), rule.ref(), rule.pack, rule.name, rule.description, rule.enabled,
                rule.mode, new Trigger(rule.triggerType, rule.triggerParameters), rule.criteria,
                new Action(rule.actionRef, masked(rule.actionParameters)),
                rule.orderingKey == null ? null : new Ordering(rule.orderingKey),
                rule.rateLimitPerSecond == null ? null : new RateLimit(rule.rateLimitPerSecond, rule.rateLimitBurst),
                rule.createdAt, rule.updatedAt);
    }

    /** Passwords and signing secrets are write-only: the API never gives them back. */
    private static JsonNode masked(JsonNode parameters) {
        if (parameters == null || !parameters.isObject()) {
            return parameters;
        }
        ObjectNode copy = ((ObjectNode) parameters).deepCopy();
        for (String secret : new String[] {"password", "secret"}) {
            if (copy.hasNonNull(secret)) {
                copy.put(secret, MASK);
            }
        }
        return copy;
    }
}
