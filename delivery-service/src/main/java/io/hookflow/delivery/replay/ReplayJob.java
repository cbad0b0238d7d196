package io.hookflow.delivery.replay;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * A bulk replay as operators see it.
 *
 * @param status  {@code running}, {@code completed} (every match was looked at), {@code canceled} or {@code failed}
 *                ({@code error} says why)
 * @param matched executions the job found matching its filter so far
 * @param queued  of those, re-queued as a new attempt (an execution that changed status meanwhile is matched, not
 *                queued)
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReplayJob(String id, ReplayFilter filter, int ratePerSecond, String status, long matched, long queued,
                        String error, Instant createdAt, Instant updatedAt, Instant finishedAt) {

    public static final String RUNNING = "running";
    public static final String COMPLETED = "completed";
    public static final String CANCELED = "canceled";
    public static final String FAILED = "failed";
}
