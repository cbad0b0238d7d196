package io.hookflow.rules.records;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/** A rule enforcement as the API shows it: the execution id is the id delivery-service's execution has. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RuleEnforcementView(String id, String triggerInstanceId, String ruleId, String ruleRef, String status,
                                  String executionId, String failureReason, Instant createdAt, String traceId) {

    public static RuleEnforcementView of(RuleEnforcement enforcement) {
        return new RuleEnforcementView(enforcement.id.toString(), enforcement.triggerInstanceId,
                enforcement.ruleId.toString(), enforcement.ruleRef, enforcement.status, enforcement.executionId,
                enforcement.failureReason, enforcement.createdAt, enforcement.traceId);
    }
}
