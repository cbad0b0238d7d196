package io.hookflow.delivery.attempt;

import io.hookflow.delivery.circuit.CircuitBreaker;
import io.hookflow.delivery.observe.DeliveryMetrics;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The recorder thread: records finished attempts ({@link RecordAttempt}), everything that finished meanwhile in one
 * transaction, then releases what a circuit closed by them had parked.
 */
@ApplicationScoped
public class Recorder {

    private static final Logger LOG = Logger.getLogger(Recorder.class);
    private static final int MAX_RECORD_BATCH = 256;

    private final InFlight inFlight;
    private final RecordAttempt recordAttempt;
    private final CircuitBreaker breaker;
    private final DeliveryMetrics metrics;
    private ExecutorService recorder;
    /** Set once a drain handed back what was still in flight: the recorder may stop once its queue is empty. */
    private volatile boolean handedBack;

    Recorder(InFlight inFlight, RecordAttempt recordAttempt, CircuitBreaker breaker, DeliveryMetrics metrics) {
        this.inFlight = inFlight;
        this.recordAttempt = recordAttempt;
        this.breaker = breaker;
        this.metrics = metrics;
    }

    public void start() {
        recorder = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "delivery-recorder");
            thread.setDaemon(true);
            return thread;
        });
        recorder.submit(this::recordFinished);
    }

    /**
     * For a drain, once what was still in flight was handed back: records what is queued, then stops. The last records
     * get a moment beyond the drain deadline: a transaction already under way should commit.
     */
    public void stop(long deadlineNanos) {
        handedBack = true;
        recorder.shutdown();
        try {
            if (!recorder.awaitTermination(Math.max(0, deadlineNanos - System.nanoTime()) / 1_000_000 + 2_000,
                    TimeUnit.MILLISECONDS)) {
                recorder.shutdownNow();
            }
        } catch (InterruptedException e) {
            recorder.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Records finished attempts, everything that finished meanwhile in one transaction: one commit for many attempts is
     * what lets a replica record as fast as targets answer. Should a batch fail, each is tried on its own, so one bad
     * record cannot hold back the rest.
     */
    private void recordFinished() {
        List<Finished> batch = new ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Finished first = inFlight.nextFinished(InFlight.SLOT_WAIT_MILLIS * 5);
                if (first == null) {
                    if (handedBack && inFlight.nothingSending()) {
                        return; // drained: nothing in flight, nothing left to record
                    }
                    continue;
                }
                batch.add(first);
                inFlight.moreFinished(batch, MAX_RECORD_BATCH - 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            try {
                recordBatch(batch);
            } catch (RuntimeException e) {
                // Never let the recorder die: unrecorded attempts come back after their lease, recorded ones are safe.
                LOG.errorf(e, "Recording %d finished attempts failed", batch.size());
            }
            batch.clear();
            inFlight.wakeUp();
        }
    }

    private void recordBatch(List<Finished> batch) {
        List<Boolean> closed;
        try {
            closed = QuarkusTransaction.requiringNew().call(() -> recordAttempt.recordAll(
                    batch.stream().map(Finished::outcome).toList()));
        } catch (RuntimeException batchFailed) {
            closed = batch.stream().map(one -> recordAlone(one)).toList();
        }
        for (int i = 0; i < batch.size(); i++) {
            Finished one = batch.get(i);
            metrics.attempted(one.sent().result());
            if (Boolean.TRUE.equals(closed.get(i))) {
                releaseParked(one.claimed());
            }
        }
    }

    private boolean record(Finished one) {
        return recordAttempt.recordAll(List.of(one.outcome())).get(0);
    }

    private boolean recordAlone(Finished one) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> record(one));
        } catch (RuntimeException e) {
            // Not recorded: the lease expires and the execution is attempted again, never lost.
            LOG.errorf(e, "Could not record attempt %d of execution %s", one.claimed().attemptNumber(), one.claimed().id());
            return false;
        }
    }

    private void releaseParked(ClaimedExecution claimed) {
        try {
            breaker.releaseParked(claimed.orgId(), claimed.destination());
        } catch (RuntimeException e) {
            // They stay parked until the probe time they were given: late, not lost.
            LOG.warnf("Could not release what the circuit of %s parked: %s", claimed.destination(), e.toString());
        }
    }

    /** A send that has finished and waits to be recorded. */
    record Finished(ClaimedExecution claimed, SendAttempt.Sent sent, Instant startedAt) {

        RecordAttempt.Outcome outcome() {
            return new RecordAttempt.Outcome(claimed, sent.request(), startedAt, sent.result());
        }
    }
}
