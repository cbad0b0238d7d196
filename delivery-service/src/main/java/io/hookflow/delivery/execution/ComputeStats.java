package io.hookflow.delivery.execution;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Map;

/** Counts and latency percentiles for a window, both computed in PostgreSQL rather than by loading rows. */
@ApplicationScoped
public class ComputeStats {

    private final ExecutionRepository executions;

    ComputeStats(ExecutionRepository executions) {
        this.executions = executions;
    }

    @Transactional
    public ExecutionStats run(String orgId, Instant since, Instant until) {
        Map<ExecutionStatus, Long> counts = executions.countByStatus(orgId, since, until);
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        long succeeded = counts.get(ExecutionStatus.SUCCEEDED);
        long finished = succeeded + counts.get(ExecutionStatus.FAILED);
        Double successRate = finished == 0 ? null : (double) succeeded / finished;
        return new ExecutionStats(since, until, total, counts, successRate,
                executions.attemptLatency(orgId, since, until));
    }
}
