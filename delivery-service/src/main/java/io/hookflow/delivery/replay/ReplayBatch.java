package io.hookflow.delivery.replay;

import io.hookflow.delivery.execution.Execution;
import io.hookflow.delivery.execution.ExecutionEventOutbox;
import io.hookflow.delivery.execution.ExecutionLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One step of a replay job, in one transaction: lock the job (still running, still ours), take the next matching
 * executions after its cursor, re-queue each through the lifecycle as a new attempt of the same execution (its history
 * and earlier attempts stay; the move goes to the history and the outbox like any other), move the cursor on.
 */
@ApplicationScoped
public class ReplayBatch {

    private final ReplayJobRepository jobs;
    private final ExecutionEventOutbox events;

    ReplayBatch(ReplayJobRepository jobs, ExecutionEventOutbox events) {
        this.jobs = jobs;
        this.events = events;
    }

    /** What a step did; {@code keep} is false once the job is no longer this runner's to run. */
    public record Step(int matched, int queued, boolean keep) {
    }

    @Transactional
    public Step run(String jobId, String owner, int limit, Duration lease, Instant now) {
        ReplayJobRepository.Stored stored = jobs.lock(jobId).orElse(null);
        if (stored == null || !ReplayJob.RUNNING.equals(stored.job().status()) || !owner.equals(stored.leaseOwner())) {
            return new Step(0, 0, false); // canceled, finished, or taken over after our lease ran out
        }
        List<Execution> matches = jobs.lockNextMatches(stored, limit);
        if (matches.isEmpty()) {
            jobs.finish(jobId, ReplayJob.COMPLETED, null, now);
            return new Step(0, 0, false);
        }
        List<ExecutionEventOutbox.Change> changes = new ArrayList<>();
        for (Execution execution : matches) {
            // Locked and re-read: the status still matches (the query checked it), so the move is legal.
            if (stored.job().filter().statuses().contains(execution.status)) {
                changes.add(events.change(ExecutionLifecycle.replay(execution, now)));
            }
        }
        events.write(changes);
        Execution last = matches.get(matches.size() - 1);
        jobs.advance(jobId, last.createdAt, last.id, matches.size(), changes.size(), now.plus(lease), now);
        return new Step(matches.size(), changes.size(), true);
    }

    /** Ends a job this runner could not carry on, with the reason operators see. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void fail(String jobId, String error, Instant now) {
        jobs.finish(jobId, ReplayJob.FAILED, error, now);
    }
}
