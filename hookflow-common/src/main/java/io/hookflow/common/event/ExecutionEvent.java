package io.hookflow.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * One status change of an execution, published by delivery-service to {@link Topics#EXECUTION_EVENTS} with the
 * execution id as key (so one execution's changes stay in order). Delivered at least once: consumers keep the latest
 * per execution id and may see a change twice.
 *
 * @param status         PENDING, RUNNING, RETRYING, SUCCEEDED, FAILED or CANCELED
 * @param previousStatus the status before the change; null when the execution was created
 * @param depth          the depth of the task that caused the execution, for bounding rule chains that react to it
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExecutionEvent(
        int version,
        String executionId,
        String orgId,
        String ruleId,
        String ruleRef,
        String triggerInstanceId,
        String trigger,
        String status,
        String previousStatus,
        int attemptCount,
        String lastError,
        Instant occurredAt,
        int depth) {

    public static final int VERSION = 1;
}
