package io.hookflow.delivery.execution;

import io.hookflow.common.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/**
 * An operator's "try again now": a FAILED or CANCELED execution becomes due at once and its next attempt is numbered
 * after the last. Its attempt budget is not reset, so a manual retry of an exhausted execution is exactly one attempt.
 */
@ApplicationScoped
public class RetryExecution {

    private final ExecutionRepository executions;
    private final ExecutionEventOutbox events;

    RetryExecution(ExecutionRepository executions, ExecutionEventOutbox events) {
        this.executions = executions;
        this.events = events;
    }

    @Transactional
    public Execution run(String orgId, UUID id, Instant now) {
        Execution execution = executions.lockForOrg(orgId, id);
        if (!execution.status.isFinal() || !ExecutionLifecycle.allows(execution.status, ExecutionStatus.PENDING)) {
            throw ApiException.conflict("execution " + id + " is " + execution.status
                    + "; only FAILED or CANCELED executions can be retried");
        }
        events.write(ExecutionLifecycle.retryNow(execution, now));
        return execution;
    }
}
