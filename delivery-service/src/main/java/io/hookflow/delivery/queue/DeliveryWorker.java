package io.hookflow.delivery.queue;

import io.hookflow.delivery.attempt.ClaimedExecution;
import io.hookflow.delivery.attempt.InFlight;
import io.hookflow.delivery.attempt.Recorder;
import io.hookflow.delivery.attempt.RunAttempt;
import io.hookflow.delivery.circuit.CircuitBreaker;
import io.hookflow.delivery.config.DeliveryConfig;
import io.hookflow.delivery.execution.ExecutionsDue;
import io.hookflow.delivery.observe.DeliveryMetrics;
import io.hookflow.delivery.ratelimit.RateLimits;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jboss.logging.Logger;

/**
 * The claim loop: pulls due executions from PostgreSQL and attempts them, up to the in-flight limits (in all and per
 * destination, counted by {@link InFlight}). The database is the queue: whatever this replica claims but never
 * finishes comes back to any replica once its lease expires. Starts and drains the delivery (the recorder with it).
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);
    private static final java.time.Duration GAUGE_INTERVAL = java.time.Duration.ofSeconds(5);

    private final QueueRepository queue;
    private final ClaimDue claimDue;
    private final InFlight inFlight;
    private final RunAttempt runAttempt;
    private final Recorder recorder;
    private final CircuitBreaker breaker;
    private final DeliveryMetrics metrics;
    private final RateLimits rateLimits;
    private final DeliveryConfig config;
    private Instant gaugesAt = Instant.EPOCH;
    /**
     * Whether due work may be waiting in the database (retries, PENDING executions, expired leases): new tasks then
     * queue behind it instead of taking the free slots first. Unknown at start, so true until the first claim.
     */
    private volatile boolean dueBacklog = true;
    /** When a rate limit that held due work back has a token again: the worker looks then rather than at the next poll. */
    private volatile Instant nextTokenAt;
    private ExecutorService loop;

    DeliveryWorker(QueueRepository queue, ClaimDue claimDue, InFlight inFlight, RunAttempt runAttempt, Recorder recorder,
                   CircuitBreaker breaker, DeliveryMetrics metrics, RateLimits rateLimits, DeliveryConfig config) {
        this.queue = queue;
        this.claimDue = claimDue;
        this.inFlight = inFlight;
        this.runAttempt = runAttempt;
        this.recorder = recorder;
        this.breaker = breaker;
        this.metrics = metrics;
        this.rateLimits = rateLimits;
        this.config = config;
    }

    void start(@Observes StartupEvent startup) {
        inFlight.open();
        loop = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "delivery-worker");
            thread.setDaemon(true);
            return thread;
        });
        loop.submit(this::run);
        recorder.start();
    }

    /**
     * Graceful drain on shutdown, before the Kafka consumer closes and the event relay stops (a lower priority runs
     * first): no new claims, in-flight attempts finish and are recorded within {@code hookflow.delivery.drain-timeout},
     * and what is still in flight then is handed back (lease cleared) for another replica, not left RUNNING until its
     * lease would expire.
     */
    void stop(@Observes @Priority(DRAIN_PRIORITY) ShutdownEvent shutdown) {
        drain(config.drainTimeout());
    }

    /** Observers of shutdown that run before the default ones (2500), in this order: intake stops, then the worker. */
    public static final int DRAIN_PRIORITY = 1100;

    /** @return what the drain did, for the log and tests */
    Drained drain(java.time.Duration timeout) {
        long begin = System.nanoTime();
        long deadline = begin + timeout.toNanos();
        inFlight.close();
        wakeUp();
        loop.shutdown();
        // A claim under way (the worker loop's or intake's) starts its sends while it holds this lock: wait for it, so
        // that what is in flight is known before the drain looks; every later claim sees running false and takes nothing.
        inFlight.awaitClaimUnderWay(deadline);
        int inFlightAtStart = inFlight.sendingCount();
        inFlight.awaitSent(deadline);
        List<UUID> unfinished = inFlight.giveUpSending();
        int handedBackCount = handBack(unfinished);
        recorder.stop(deadline);
        Drained drained = new Drained(inFlightAtStart, handedBackCount, inFlight.unrecorded(),
                java.time.Duration.ofNanos(System.nanoTime() - begin));
        LOG.infof("Delivery drained in %d ms: %d attempt(s) were in flight, %d handed back unfinished, %d left "
                        + "unrecorded (they come back after their lease)", drained.took().toMillis(),
                drained.inFlight(), drained.handedBack(), drained.unrecorded());
        return drained;
    }

    /** What a drain found and did. */
    record Drained(int inFlight, int handedBack, int unrecorded, java.time.Duration took) {
    }

    private int handBack(List<UUID> unfinished) {
        if (unfinished.isEmpty()) {
            return 0;
        }
        try {
            return QuarkusTransaction.requiringNew().call(() -> queue.releaseLeases(unfinished, Instant.now()));
        } catch (RuntimeException e) {
            // The database is away: they come back after their lease instead, as after a crash.
            LOG.warnf("Could not hand back %d unfinished execution(s): %s", unfinished.size(), e.toString());
            return 0;
        }
    }

    /** False once the service is stopping. */
    public boolean running() {
        return inFlight.running();
    }

    void onExecutionsDue(@Observes ExecutionsDue due) {
        wakeUp();
    }

    /** Tells the worker there may be due work now, instead of at the next poll. */
    public void wakeUp() {
        inFlight.wakeUp();
    }

    /** Admission left tasks PENDING: they are due work, which the next tasks queue behind, so look now. */
    public void dueWorkLeft() {
        dueBacklog = true;
        wakeUp();
    }

    /** Whether due work may be waiting in the database, which new tasks then queue behind. */
    public boolean dueBacklog() {
        return dueBacklog;
    }

    private void run() {
        while (inFlight.running()) {
            try {
                refreshGauges();
                int claimed;
                inFlight.lockClaims();
                try {
                    claimed = claimAndDispatch();
                } finally {
                    inFlight.unlockClaims();
                }
                if (claimed == 0 || inFlight.full()) {
                    inFlight.awaitWakeUp(untilNextPoll());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // The database may be away; the work is safe in it, so wait and try again.
                LOG.warnf("Delivery worker could not claim work: %s", e.toString());
                sleepQuietly();
            }
        }
    }

    /** The poll interval, or less when a rate limit that held work back has its next token sooner. */
    private long untilNextPoll() {
        long poll = config.pollInterval().toMillis();
        Instant tokenAt = nextTokenAt;
        if (tokenAt == null) {
            return poll;
        }
        return Math.max(1, Math.min(poll, java.time.Duration.between(Instant.now(), tokenAt).toMillis() + 1));
    }

    /** Every few seconds at most: the gauges need no fresher figures than that. */
    private void refreshGauges() {
        Instant now = Instant.now();
        if (now.isAfter(gaugesAt.plus(GAUGE_INTERVAL))) {
            gaugesAt = now;
            QuarkusTransaction.requiringNew().run(() -> {
                metrics.dueExecutions(queue.countDue(now));
                metrics.openCircuits(breaker.countOpen());
            });
            metrics.throttledDestinations(rateLimits.tidy(now));
        }
    }

    private int claimAndDispatch() {
        int capacity = inFlight.capacity();
        if (capacity <= 0) {
            return 0;
        }
        List<ClaimedExecution> claimed = claim(capacity, inFlight.busyDestinations());
        claimed.forEach(runAttempt::run);
        return claimed.size();
    }

    /**
     * Claims due work and notes whether due work was left behind, which new tasks then queue behind. Under
     * {@link InFlight#lockClaims}, inside the caller's transaction or its own.
     */
    public List<ClaimedExecution> claim(int capacity, Map<String, Integer> busy) {
        ClaimDue.Claimed claimed = claimDue.run(capacity, busy, Instant.now());
        dueBacklog = claimed.dueLeft();
        nextTokenAt = claimed.nextTokenAt();
        return claimed.executions();
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(config.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
