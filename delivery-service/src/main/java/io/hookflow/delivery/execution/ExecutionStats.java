package io.hookflow.delivery.execution;

import java.time.Instant;
import java.util.Map;

/**
 * Executions created in a window, by status, and the latency of the attempts started in it.
 *
 * @param successRate SUCCEEDED / (SUCCEEDED + FAILED); null while nothing has finished either way
 */
public record ExecutionStats(Instant since, Instant until, long total, Map<ExecutionStatus, Long> byStatus,
                             Double successRate, AttemptLatency attempts) {

    /** Percentiles in milliseconds, interpolated by PostgreSQL's percentile_cont; null when there were no attempts. */
    public record AttemptLatency(long count, Double p50Ms, Double p95Ms, Double p99Ms) {
    }
}
