package io.hookflow.delivery.event;

import io.hookflow.delivery.execution.ExecutionEventOutbox;

import io.hookflow.common.event.Topics;
import io.hookflow.delivery.config.DeliveryConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Drains the outbox to the {@code execution-events} topic: publish a batch, wait for the broker's acknowledgement, then
 * delete it, all in one transaction. A crash after publishing and before the commit publishes the batch again: at
 * least once, never lost.
 *
 * <p>A plain producer (acks=all, idempotent, 5 ms linger), not a messaging channel: the relay already batches and waits
 * for every acknowledgement itself, and the channel's per-message machinery was about a third of delivery-service's
 * CPU under load (JFR, 2026-11-24).
 */
@ApplicationScoped
public class ExecutionEventRelay {

    private static final Logger LOG = Logger.getLogger(ExecutionEventRelay.class);
    /** Outbox rows per round; each holds the events of one transaction. */
    private static final int ROWS = 20;

    private final ExecutionEventOutbox outbox;
    private final DeliveryConfig config;
    private final String bootstrapServers;
    private ExecutorService loop;
    private KafkaProducer<String, String> producer;
    private volatile boolean running;

    ExecutionEventRelay(ExecutionEventOutbox outbox, DeliveryConfig config,
                        @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.outbox = outbox;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    void start(@Observes StartupEvent startup) {
        running = true;
        loop = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "execution-event-relay");
            thread.setDaemon(true);
            return thread;
        });
        loop.submit(this::run);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        loop.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        discardProducer();
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
            publish(events);
            outbox.delete(rows.stream().map(ExecutionEventOutbox.Pending::id).toList());
            return events.size();
        });
    }

    /** Sends the batch (the idempotent producer keeps their order per key) and waits for every acknowledgement. */
    private void publish(List<ExecutionEventOutbox.Event> events) {
        KafkaProducer<String, String> current = producer();
        long deadline = System.nanoTime() + config.events().publishTimeout().toNanos();
        List<Future<RecordMetadata>> sent = new ArrayList<>(events.size());
        try {
            for (ExecutionEventOutbox.Event event : events) {
                sent.add(current.send(new ProducerRecord<>(Topics.EXECUTION_EVENTS, event.key(), event.payload())));
            }
            for (Future<RecordMetadata> acknowledgement : sent) {
                acknowledgement.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // A failed idempotent producer may be stuck on its sequence numbers: the next round gets a new one.
            discardProducer();
            throw new IllegalStateException("the broker did not acknowledge the batch: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        }
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            int timeout = (int) Math.max(1000, config.events().publishTimeout().toMillis());
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "delivery-execution-events");
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            // A few ms of linger packs a relayed batch into a few produce requests instead of one per event.
            props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (long) timeout);
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout + 5);
            producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    private synchronized void discardProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(1));
            } catch (RuntimeException e) {
                LOG.debugf("Closing the event producer: %s", e.toString());
            }
            producer = null;
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
