package io.hookflow.delivery.dispatch;

import io.hookflow.delivery.config.DeliveryConfig;
import io.hookflow.delivery.execution.ExecutionRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Pulls due executions from PostgreSQL and attempts them, up to the in-flight limit. The database is the queue:
 * whatever this replica claims but never finishes comes back to any replica once its lease expires.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);

    private final ExecutionRepository executions;
    private final HttpSender sender;
    private final RecordAttempt recordAttempt;
    private final DeliveryConfig config;
    private final Vertx vertx;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Released when there may be new work: a task arrived or an attempt finished. */
    private final Semaphore wakeUps = new Semaphore(0);
    private ExecutorService loop;
    private volatile boolean running;

    DeliveryWorker(ExecutionRepository executions, HttpSender sender, RecordAttempt recordAttempt,
                   DeliveryConfig config, Vertx vertx) {
        this.executions = executions;
        this.sender = sender;
        this.recordAttempt = recordAttempt;
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

    private int claimAndDispatch() {
        int capacity = config.maxInFlight() - inFlight.get();
        if (capacity <= 0) {
            return 0;
        }
        List<ClaimedExecution> claimed = QuarkusTransaction.requiringNew().call(() ->
                executions.claimDue(capacity, config.lease(), Instant.now()).stream()
                        .map(execution -> new ClaimedExecution(execution.id, execution.attemptCount, execution.request))
                        .toList());
        claimed.forEach(this::attempt);
        return claimed.size();
    }

    private void attempt(ClaimedExecution claimed) {
        inFlight.incrementAndGet();
        Instant startedAt = Instant.now();
        PreparedRequest request = PreparedRequest.of(claimed.request());
        sender.send(request.method(), request.url(), request.headers(), request.body())
                .onComplete(done -> vertx.executeBlocking(() -> {
                    try {
                        recordAttempt.record(claimed, request, startedAt, done.result());
                    } catch (RuntimeException e) {
                        // Not recorded: the lease expires and the execution is attempted again, never lost.
                        LOG.errorf(e, "Could not record attempt %d of execution %s", claimed.attemptNumber(), claimed.id());
                    } finally {
                        inFlight.decrementAndGet();
                        wakeUp();
                    }
                    return null;
                }, false));
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(config.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
