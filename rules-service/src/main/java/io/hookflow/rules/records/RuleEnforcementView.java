package io.hookflow.rules.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * A rule enforcement as the API shows it: the execution id is the id delivery-service's execution has. A shadowed
 * enforcement shows the request it would have sent instead, its password, signing secret and sealed datastore secrets
 * masked (they are ciphertext; the placeholders in url, headers and body stay, so it reads as it would have been sent).
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RuleEnforcementView(String id, String triggerInstanceId, String ruleId, String ruleRef, String status,
                                  String executionId, String failureReason, JsonNode request, Instant createdAt,
                                  String traceId) {

    static final String MASK = "********";

    public static RuleEnforcementView of(RuleEnforcement enforcement) {
        return new RuleEnforcementView(enforcement.id.toString(), enforcement.triggerInstanceId,
                enforcement.ruleId.toString(), enforcement.ruleRef, enforcement.status, enforcement.executionId,
                enforcement.failureReason, masked(enforcement.request), enforcement.createdAt, enforcement.traceId);
    }

    private static JsonNode masked(JsonNode request) {
        if (!(request instanceof ObjectNode object)) {
            return request;
        }
        ObjectNode copy = object.deepCopy();
        for (String secret : new String[] {"password", "secret"}) {
            if (copy.hasNonNull(secret)) {
                copy.put(secret, MASK);
            }
        }
        if (copy.get("sealedValues") instanceof ObjectNode sealed) {
            sealed.properties().forEach(entry -> entry.setValue(copy.textNode(MASK)));
        }
        return copy;
    }
}
