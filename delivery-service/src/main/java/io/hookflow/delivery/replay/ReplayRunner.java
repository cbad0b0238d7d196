package io.hookflow.delivery.replay;

import io.hookflow.delivery.config.DeliveryConfig;
import io.hookflow.delivery.execution.ExecutionsDue;
import io.hookflow.delivery.loop.PollingLoop;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Runs replay jobs on this replica: takes running jobs no one holds (SKIP LOCKED, under a lease renewed by every batch,
 * so one replica at a time runs a job and another resumes it from its cursor once a dead runner's lease ran out), and
 * steps each at its own rate, in batches no larger than what its window allows. Re-queued executions wake the worker.
 */
@ApplicationScoped
public class ReplayRunner {

    private static final Logger LOG = Logger.getLogger(ReplayRunner.class);
    /** The most executions one step looks at: small transactions, short row locks. */
    static final int MAX_BATCH = 100;
    /** Steps that fail in a row before a job is marked failed (a database outage cannot even write that). */
    private static final int MAX_FAILURES = 5;

    private final ReplayJobRepository jobs;
    private final ReplayBatch batch;
    private final Event<ExecutionsDue> due;
    private final DeliveryConfig.Replay config;
    private final String owner = "runner-" + UUID.randomUUID();
    private final Map<String, Running> owned = new LinkedHashMap<>();
    private final PollingLoop loop;

    ReplayRunner(ReplayJobRepository jobs, ReplayBatch batch, Event<ExecutionsDue> due, DeliveryConfig config) {
        this.jobs = jobs;
        this.batch = batch;
        this.due = due;
        this.config = config.replay();
        this.loop = new PollingLoop("replay-runner", this.config.pollInterval(), this::round);
    }

    void start(@Observes StartupEvent startup) {
        loop.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        loop.stop();
    }

    /** A job was created here: look now rather than at the next poll. */
    public void wakeUp() {
        loop.wakeUp();
    }

    /** Takes what jobs it can, steps them; waits until a window has room again, at most the poll interval. */
    private Duration round() {
        Instant next = Instant.now().plus(config.pollInterval());
        takeJobs();
        next = stepJobs(next);
        return Duration.between(Instant.now(), next);
    }

    private void takeJobs() {
        while (owned.size() < Math.max(1, config.maxJobs())) {
            Instant now = Instant.now();
            Optional<ReplayJobRepository.Stored> taken = QuarkusTransaction.requiringNew()
                    .call(() -> jobs.claim(owner, now.plus(config.lease()), now));
            if (taken.isEmpty()) {
                return;
            }
            ReplayJob job = taken.get().job();
            LOG.infof("Replay job %s (organisation %s) taken by this replica at %d matched, %d queued", job.id(),
                    taken.get().orgId(), job.matched(), job.queued());
            owned.put(job.id(), new Running(job.id(), new ReplayWindow(job.ratePerSecond())));
        }
    }

    /** One step of every job its window has room for; answers when the loop should look again. */
    private Instant stepJobs(Instant next) {
        for (Iterator<Running> jobsHere = owned.values().iterator(); jobsHere.hasNext(); ) {
            Running job = jobsHere.next();
            Instant now = Instant.now();
            int room = Math.min(MAX_BATCH, job.window().allowance(now));
            if (room > 0) {
                try {
                    ReplayBatch.Step step = batch.run(job.id(), owner, room, config.lease(), now);
                    job.window().spent(now, step.queued());
                    job.failures = 0;
                    if (step.queued() > 0) {
                        due.fire(new ExecutionsDue());
                    }
                    if (!step.keep()) {
                        jobsHere.remove();
                        continue;
                    }
                } catch (RuntimeException e) {
                    if (++job.failures >= MAX_FAILURES) {
                        LOG.errorf(e, "Replay job %s failed %d times in a row; marking it failed", job.id(), job.failures);
                        failQuietly(job.id(), e);
                        jobsHere.remove();
                        continue;
                    }
                    LOG.warnf("Replay job %s could not take a step (will try again): %s", job.id(), e.toString());
                    continue; // again at the next poll, not at once
                }
            }
            Instant roomAt = job.window().nextRoom(Instant.now());
            if (roomAt.isBefore(next)) {
                next = roomAt;
            }
        }
        return next;
    }

    private void failQuietly(String jobId, RuntimeException cause) {
        try {
            batch.fail(jobId, "stopped after " + MAX_FAILURES + " failed steps: " + cause.getClass().getSimpleName(),
                    Instant.now());
        } catch (RuntimeException e) {
            // The lease runs out and a replica takes the job over from its cursor.
            LOG.warnf("Could not mark replay job %s failed: %s", jobId, e.toString());
        }
    }

    /** A job this replica runs, with its rate window and its failures in a row. */
    private static final class Running {
        private final String id;
        private final ReplayWindow window;
        private int failures;

        Running(String id, ReplayWindow window) {
            this.id = id;
            this.window = window;
        }

        String id() {
            return id;
        }

        ReplayWindow window() {
            return window;
        }
    }
}
