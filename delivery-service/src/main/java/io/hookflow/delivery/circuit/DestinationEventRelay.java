package io.hookflow.delivery.circuit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.event.DestinationEvent;
import io.hookflow.common.event.Topics;
import io.hookflow.common.kafka.AcknowledgedProducer;
import io.hookflow.delivery.config.DeliveryConfig;
import io.hookflow.delivery.loop.PollingLoop;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes {@code hookflow.destination.disabled} to {@code destination-events} for every circuit that was disabled:
 * the circuit row is its own outbox ({@code disabled_event_pending}, set in the transaction that disabled it), cleared
 * in the transaction that waited for the broker's acknowledgement. A crash in between publishes it twice rather than never.
 *
 * <p>Disables are rare, so the relay looks only every {@code events.destination-poll-interval} (5 s) on its own: a
 * disable wakes its replica's relay once its transaction committed, and the slow look picks up what a failed publish or
 * a replica that died before publishing left behind.
 */
@ApplicationScoped
public class DestinationEventRelay {

    private static final Logger LOG = Logger.getLogger(DestinationEventRelay.class);
    private static final int ROWS = 50;

    private final CircuitRepository circuits;
    private final ObjectMapper mapper;
    private final AcknowledgedProducer<String> producer;
    private final PollingLoop loop;

    DestinationEventRelay(CircuitRepository circuits, ObjectMapper mapper, DeliveryConfig config,
                          @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.circuits = circuits;
        this.mapper = mapper;
        this.producer = AcknowledgedProducer.ofStrings(bootstrapServers, "delivery-destination-events",
                config.events().publishTimeout());
        Duration idle = config.events().destinationPollInterval();
        // A full batch may have left more behind: go again at once.
        this.loop = new PollingLoop("destination-event-relay", idle, () -> relay() >= ROWS ? Duration.ZERO : idle);
    }

    void start(@Observes StartupEvent startup) {
        loop.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        loop.stop();
        producer.close();
    }

    /** A destination was disabled here and the transaction committed: its event is pending, publish it now. */
    void onDisabled(@Observes(during = TransactionPhase.AFTER_SUCCESS) DestinationDisabled disabled) {
        loop.wakeUp();
    }

    /** @return how many events went out */
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
