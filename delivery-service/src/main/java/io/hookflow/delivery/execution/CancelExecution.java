package io.hookflow.delivery.execution;

import io.hookflow.common.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/**
 * Stops an execution that has not finished. A RUNNING one may be canceled too: its attempt in flight is still recorded
 * when it ends, but it changes nothing (RecordAttempt keeps only the attempt once the status moved on).
 */
@ApplicationScoped
public class CancelExecution {

    private final ExecutionRepository executions;
    private final ExecutionEventOutbox events;

    CancelExecution(ExecutionRepository executions, ExecutionEventOutbox events) {
        this.executions = executions;
        this.events = events;
    }

    @Transactional
    public Execution run(String orgId, UUID id, Instant now) {
        Execution execution = executions.lockForOrg(orgId, id);
        if (!ExecutionLifecycle.allows(execution.status, ExecutionStatus.CANCELED)) {
            throw ApiException.conflict("execution " + id + " is " + execution.status + " already; only unfinished"
                    + " executions (PENDING, RUNNING, RETRYING) can be canceled");
        }
        events.write(ExecutionLifecycle.cancel(execution, now));
        return execution;
    }
}
