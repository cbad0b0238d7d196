package io.hookflow.delivery.event;

import io.hookflow.delivery.execution.ExecutionEventOutbox;
import io.hookflow.delivery.observe.StatusEventTraces;

import io.hookflow.common.event.Topics;
import io.hookflow.common.kafka.AcknowledgedProducer;
import io.hookflow.delivery.config.DeliveryConfig;
import io.hookflow.delivery.loop.PollingLoop;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Drains the outbox to the {@code execution-events} topic: publish a batch, wait for the broker's acknowledgement, then
 * delete it, all in one transaction. A crash after publishing and before the commit publishes the batch again: at
 * least once, never lost.
 *
 * <p>The shared {@link AcknowledgedProducer} (acks=all, idempotent, one wait per batch), not a messaging channel: the
 * relay already batches, and the channel's per-message machinery was about a third of delivery-service's CPU under
 * load (JFR, 2026-11-24).
 */
@ApplicationScoped
public class ExecutionEventRelay {

    /** Outbox rows per round; each holds the events of one transaction. */
    private static final int ROWS = 20;

    private final ExecutionEventOutbox outbox;
    private final AcknowledgedProducer<String> producer;
    private final StatusEventTraces traces;
    private final PollingLoop loop;

    ExecutionEventRelay(ExecutionEventOutbox outbox, DeliveryConfig config, StatusEventTraces traces,
                        @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.outbox = outbox;
        this.traces = traces;
        this.producer = AcknowledgedProducer.ofStrings(bootstrapServers, "delivery-execution-events",
                config.events().publishTimeout());
        Duration interval = config.events().pollInterval();
        // A full round may have left more behind: go again at once; an empty or failed one waits the interval.
        this.loop = new PollingLoop("execution-event-relay", interval,
                () -> relayBatch() > 0 ? Duration.ZERO : interval);
    }

    void start(@Observes StartupEvent startup) {
        loop.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        loop.stop();
        producer.close();
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
        producer.sendAll(events.stream().map(event -> {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.EXECUTION_EVENTS, event.key(),
                    event.payload());
            traces.publishing(event.key(), event.payload(), event.traceparent(), record.headers());
            return record;
        }).toList());
    }
}
