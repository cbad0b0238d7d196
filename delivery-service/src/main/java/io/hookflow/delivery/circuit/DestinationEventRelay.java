package io.hookflow.delivery.circuit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.event.DestinationEvent;
import io.hookflow.common.event.Topics;
import io.hookflow.common.kafka.AcknowledgedProducer;
import io.hookflow.delivery.config.DeliveryConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes {@code hookflow.destination.disabled} to {@code destination-events} for every circuit that was disabled:
 * the circuit row is its own outbox ({@code disabled_event_pending}, set in the transaction that disabled it), cleared
 * in the transaction that waited for the broker's acknowledgement. A crash in between publishes it twice rather than never.
 */
@ApplicationScoped
public class DestinationEventRelay {

    private static final Logger LOG = Logger.getLogger(DestinationEventRelay.class);
    private static final int ROWS = 50;

    private final CircuitRepository circuits;
    private final ObjectMapper mapper;
    private final DeliveryConfig config;
    private final AcknowledgedProducer<String> producer;
    private ExecutorService loop;
    private volatile boolean running;

    DestinationEventRelay(CircuitRepository circuits, ObjectMapper mapper, DeliveryConfig config,
                          @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.circuits = circuits;
        this.mapper = mapper;
        this.config = config;
        this.producer = AcknowledgedProducer.ofStrings(bootstrapServers, "delivery-destination-events",
                config.events().publishTimeout());
    }

    void start(@Observes StartupEvent startup) {
        running = true;
        loop = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "destination-event-relay");
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
        producer.close();
    }

    private void run() {
        while (running) {
            try {
                relay();
            } catch (RuntimeException e) {
                LOG.warnf("Could not relay destination events: %s", e.toString());
            }
            try {
                Thread.sleep(config.events().pollInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    int relay() {
        return QuarkusTransaction.requiringNew().timeout(60).call(() -> {
            List<Object[]> pending = circuits.lockPendingEvents(ROWS);
            if (pending.isEmpty()) {
                return 0;
            }
            List<ProducerRecord<String, String>> records = new ArrayList<>(pending.size());
            for (Object[] row : pending) {
                String orgId = (String) row[0];
                Circuit circuit = (Circuit) row[1];
                DestinationEvent event = new DestinationEvent(DestinationEvent.VERSION, DestinationEvent.DISABLED, orgId,
                        circuit.destination(), circuit.lastError(), circuit.consecutiveFailures(),
                        circuit.failingSince(), circuit.disabledAt(), 0);
                records.add(new ProducerRecord<>(Topics.DESTINATION_EVENTS, orgId + " " + circuit.destination(),
                        json(event)));
            }
            producer.sendAll(records);
            for (Object[] row : pending) {
                circuits.eventPublished((String) row[0], ((Circuit) row[1]).destination());
                LOG.infof("Destination %s of organisation %s disabled; event published", ((Circuit) row[1]).destination(),
                        row[0]);
            }
            return pending.size();
        });
    }

    private String json(DestinationEvent event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a destination event is always serialisable", e);
        }
    }
}
