package io.hookflow.delivery.event;

import io.hookflow.common.event.Topics;
import io.hookflow.delivery.config.DeliveryConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Drains the outbox to the {@code execution-events} topic: publish a batch, wait for the broker's acknowledgement, then
 * delete it, all in one transaction. A crash after publishing and before the commit publishes the batch again: at
 * least once, never lost.
 */
@ApplicationScoped
public class ExecutionEventRelay {

    private static final Logger LOG = Logger.getLogger(ExecutionEventRelay.class);
    /** Outbox rows per round; each holds the events of one transaction. */
    private static final int ROWS = 20;
    /** Events in flight at once: within the emitter buffer below. */
    private static final int IN_FLIGHT = 200;

    private final ExecutionEventOutbox outbox;
    private final MutinyEmitter<String> emitter;
    private final DeliveryConfig config;
    private ExecutorService loop;
    private ExecutorService publisher;
    private volatile boolean running;

    ExecutionEventRelay(ExecutionEventOutbox outbox, @Channel(Topics.EXECUTION_EVENTS) @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 256)
                        MutinyEmitter<String> emitter,
                        DeliveryConfig config) {
        this.outbox = outbox;
        this.emitter = emitter;
        this.config = config;
    }

    void start(@Observes StartupEvent startup) {
        running = true;
        loop = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "execution-event-relay");
            thread.setDaemon(true);
            return thread;
        });
        publisher = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "execution-event-publisher");
            thread.setDaemon(true);
            return thread;
        });
        loop.submit(this::run);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        loop.shutdownNow();
        publisher.shutdownNow();
    }

    private void run() {
        while (running) {
            int relayed = 0;
            try {
                relayed = relayBatch();
            } catch (RuntimeException e) {
                // Broker or database away: the events stay in the outbox and go out on a later round.
                LOG.warnf("Could not relay execution events: %s", e.toString());
            }
            if (relayed == 0 && !sleep()) {
                return;
            }
        }
    }

    /** @return how many events went out */
    int relayBatch() {
        return QuarkusTransaction.requiringNew().timeout(60).call(() -> {
            if (!outbox.tryLockRelay()) {
                return 0; // another replica is relaying
            }
            List<ExecutionEventOutbox.Pending> rows = outbox.oldest(ROWS);
            if (rows.isEmpty()) {
                return 0;
            }
            List<ExecutionEventOutbox.Event> events = rows.stream().flatMap(row -> row.events().stream()).toList();
            for (int from = 0; from < events.size(); from += IN_FLIGHT) {
                publish(events.subList(from, Math.min(events.size(), from + IN_FLIGHT)));
            }
            outbox.delete(rows.stream().map(ExecutionEventOutbox.Pending::id).toList());
            return events.size();
        });
    }

    /**
     * Sends the batch together (the idempotent producer keeps their order per key) and waits for every
     * acknowledgement. The sends start on a plain thread: started on ours, context propagation would carry our open
     * transaction into the producer's callback threads, and the commit would then fail with "multiple threads active".
     */
    private void publish(List<ExecutionEventOutbox.Event> events) {
        Duration timeout = config.events().publishTimeout();
        Future<?> sent = publisher.submit(() -> {
            List<Uni<Void>> sends = new ArrayList<>(events.size());
            for (ExecutionEventOutbox.Event event : events) {
                sends.add(emitter.sendMessage(Message.of(event.payload()).addMetadata(
                        OutgoingKafkaRecordMetadata.<String>builder().withKey(event.key()).build())));
            }
            Uni.join().all(sends).andFailFast().await().atMost(timeout);
        });
        try {
            sent.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the broker did not acknowledge the batch", e.getCause());
        } catch (TimeoutException e) {
            sent.cancel(true);
            throw new IllegalStateException("the broker did not acknowledge the batch within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        }
    }

    private boolean sleep() {
        try {
            Thread.sleep(config.events().pollInterval().toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
