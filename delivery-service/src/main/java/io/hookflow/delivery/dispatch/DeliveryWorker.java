package io.hookflow.delivery.dispatch;

import io.hookflow.common.event.OutboundRequest;
import io.hookflow.delivery.config.DeliveryConfig;
import io.hookflow.delivery.destination.Destination;
import io.hookflow.delivery.destination.DestinationGuard;
import io.hookflow.delivery.execution.ExecutionRepository;
import io.hookflow.delivery.signing.RequestSigner;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
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
    private static final java.time.Duration DUE_COUNT_INTERVAL = java.time.Duration.ofSeconds(5);

    private final ExecutionRepository executions;
    private final HttpSender sender;
    private final DestinationGuard guard;
    private final RequestSigner signer;
    private final RecordAttempt recordAttempt;
    private final DeliveryMetrics metrics;
    private Instant dueCountedAt = Instant.EPOCH;
    private final DeliveryConfig config;
    private final Vertx vertx;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Released when there may be new work: a task arrived or an attempt finished. */
    private final Semaphore wakeUps = new Semaphore(0);
    private ExecutorService loop;
    private volatile boolean running;

    DeliveryWorker(ExecutionRepository executions, HttpSender sender, DestinationGuard guard, RequestSigner signer,
                   RecordAttempt recordAttempt, DeliveryMetrics metrics, DeliveryConfig config, Vertx vertx) {
        this.metrics = metrics;
        this.executions = executions;
        this.sender = sender;
        this.guard = guard;
        this.signer = signer;
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
                countDue();
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

    /** Every few seconds at most: the gauge needs no fresher figure than that. */
    private void countDue() {
        Instant now = Instant.now();
        if (now.isAfter(dueCountedAt.plus(DUE_COUNT_INTERVAL))) {
            dueCountedAt = now;
            metrics.dueExecutions(QuarkusTransaction.requiringNew().call(() -> executions.countDue(now)));
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

    /** Reads top to bottom: sign, check the destination, send, record (which moves the status on). */
    private void attempt(ClaimedExecution claimed) {
        inFlight.incrementAndGet();
        Instant startedAt = Instant.now();
        // Signing and DNS may block: both run on a worker thread, the send itself on the event loop.
        vertx.executeBlocking(() -> prepare(claimed, startedAt), false)
                .compose(prepared -> prepared.destination() instanceof Destination.Allowed allowed
                        ? sender.send(prepared.request(), allowed).map(result -> new Sent(prepared.request(), result))
                        : Future.succeededFuture(new Sent(prepared.request(), prepared.withoutSending())))
                .onComplete(done -> vertx.executeBlocking(() -> {
                    try {
                        Sent sent = done.succeeded() ? done.result() : new Sent(PreparedRequest.of(
                                withoutSecret(claimed.request()), claimed.id(), signer, startedAt),
                                HttpResult.error("request failed: " + done.cause(), 0));
                        recordAttempt.record(claimed, sent.request(), startedAt, sent.result());
                        metrics.attempted(sent.result());
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

    private Prepared prepare(ClaimedExecution claimed, Instant startedAt) {
        OutboundRequest request = claimed.request();
        PreparedRequest prepared;
        try {
            prepared = PreparedRequest.of(request, claimed.id(), signer, startedAt);
        } catch (IllegalArgumentException unusableSecret) {
            return new Prepared(PreparedRequest.of(withoutSecret(request), claimed.id(), signer, startedAt),
                    new Destination.Refused(unusableSecret.getMessage()));
        }
        return new Prepared(prepared, guard.check(prepared.method(), prepared.url()));
    }

    private static OutboundRequest withoutSecret(OutboundRequest request) {
        return new OutboundRequest(request.method(), request.url(), request.headers(), request.body(),
                request.username(), request.password(), null, request.timeoutSeconds());
    }

    /** A request ready to go, and where the guard says it may (or may not) go. */
    private record Prepared(PreparedRequest request, Destination destination) {

        /** The result of an attempt the guard stopped before it was sent. */
        HttpResult withoutSending() {
            if (destination instanceof Destination.Refused refused) {
                return HttpResult.refused(refused.reason());
            }
            return HttpResult.error(((Destination.Unresolved) destination).error(), 0);
        }
    }

    private record Sent(PreparedRequest request, HttpResult result) {
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(config.pollInterval().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
