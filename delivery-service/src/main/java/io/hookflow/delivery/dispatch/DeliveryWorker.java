package io.hookflow.delivery.dispatch;

import io.hookflow.delivery.circuit.CircuitBreaker;
import io.hookflow.delivery.config.DeliveryConfig;
import io.hookflow.delivery.execution.ExecutionRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Pulls due executions from PostgreSQL and attempts them, up to the in-flight limits (in all and per destination).
 * The database is the queue: whatever this replica claims but never finishes comes back to any replica once its lease
 * expires.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);
    private static final java.time.Duration GAUGE_INTERVAL = java.time.Duration.ofSeconds(5);

    private final ExecutionRepository executions;
    private final ClaimDue claimDue;
    private final SendAttempt sendAttempt;
    private final RecordAttempt recordAttempt;
    private final CircuitBreaker breaker;
    private final DeliveryMetrics metrics;
    private final DeliveryConfig config;
    private final Vertx vertx;
    private Instant gaugesAt = Instant.EPOCH;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, AtomicInteger> inFlightByDestination = new ConcurrentHashMap<>();
    /** Released when there may be new work: a task arrived or an attempt finished. */
    private final Semaphore wakeUps = new Semaphore(0);
    private ExecutorService loop;
    private volatile boolean running;

    DeliveryWorker(ExecutionRepository executions, ClaimDue claimDue, SendAttempt sendAttempt,
                   RecordAttempt recordAttempt, CircuitBreaker breaker, DeliveryMetrics metrics, DeliveryConfig config,
                   Vertx vertx) {
        this.executions = executions;
        this.claimDue = claimDue;
        this.sendAttempt = sendAttempt;
        this.recordAttempt = recordAttempt;
        this.breaker = breaker;
        this.metrics = metrics;
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent startup) {
        running = true;
        loop = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "delivery-worker");
            thread.setDaemon(true);
            return thread;
        });
        loop.submit(this::run);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        wakeUp();
        loop.shutdown();
    }

    /** Tells the worker there may be due work now, instead of at the next poll. */
    public void wakeUp() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    private void run() {
        while (running) {
            try {
                refreshGauges();
                int claimed = claimAndDispatch();
                if (claimed == 0 || inFlight.get() >= config.maxInFlight()) {
                    wakeUps.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wakeUps.drainPermits();
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

    /** Every few seconds at most: the gauges need no fresher figures than that. */
    private void refreshGauges() {
        Instant now = Instant.now();
        if (now.isAfter(gaugesAt.plus(GAUGE_INTERVAL))) {
            gaugesAt = now;
            QuarkusTransaction.requiringNew().run(() -> {
                metrics.dueExecutions(executions.countDue(now));
                metrics.openCircuits(breaker.countOpen());
            });
        }
    }

    private int claimAndDispatch() {
        int capacity = config.maxInFlight() - inFlight.get();
        if (capacity <= 0) {
            return 0;
        }
        Map<String, Integer> busy = new HashMap<>();
        inFlightByDestination.forEach((destination, count) -> {
            if (count.get() > 0) {
                busy.put(destination, count.get());
            }
        });
        List<ClaimedExecution> claimed = claimDue.run(capacity, busy, Instant.now());
        claimed.forEach(this::attempt);
        return claimed.size();
    }

    /** Reads top to bottom: send (open secrets, sign, check the destination), record (which moves the status on). */
    private void attempt(ClaimedExecution claimed) {
        inFlight.incrementAndGet();
        AtomicInteger perDestination = claimed.destination() == null ? null
                : inFlightByDestination.computeIfAbsent(claimed.destination(), ignored -> new AtomicInteger());
        if (perDestination != null) {
            perDestination.incrementAndGet();
        }
        Instant startedAt = Instant.now();
        sendAttempt.run(claimed.request(), claimed.id(), startedAt)
                .onComplete(done -> vertx.executeBlocking(() -> {
                    try {
                        SendAttempt.Sent sent = done.result();
                        boolean circuitClosed = recordAttempt.record(claimed, sent.request(), startedAt, sent.result());
                        metrics.attempted(sent.result());
                        if (circuitClosed) {
                            breaker.releaseParked(claimed.orgId(), claimed.destination());
                        }
                    } catch (RuntimeException e) {
                        // Not recorded: the lease expires and the execution is attempted again, never lost.
                        LOG.errorf(e, "Could not record attempt %d of execution %s", claimed.attemptNumber(), claimed.id());
                    } finally {
                        if (perDestination != null) {
                            perDestination.decrementAndGet();
                        }
                        inFlight.decrementAndGet();
                        wakeUp();
                    }
                    return null;
                }, false));
    }

    /** Attempts in flight on this replica to the destination (host:port); for tests and diagnostics. */
    public int inFlightTo(String destination) {
        AtomicInteger count = inFlightByDestination.get(destination);
        return count == null ? 0 : count.get();
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(config.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
