package io.hookflow.rules.enforcement;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookflow.common.event.DestinationEvent;
import io.hookflow.common.event.Topics;
import io.hookflow.common.event.TriggerEvent;
import io.hookflow.rules.index.RuleIndex;
import io.hookflow.rules.progress.EnforcementProgress;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * delivery-service's destination events as system triggers: a destination disabled after failing for days is a
 * trigger instance of type {@code hookflow.destination.disabled} whose payload is the event ({@code destination},
 * {@code lastError}, {@code failingSince}, {@code disabledAt}, ...), so a rule can alert a chat or an email webhook.
 * As with {@link ExecutionEventConsumer}, only events some rule of the organisation listens to become instances.
 */
@ApplicationScoped
public class DestinationEventConsumer {

    static final String SOURCE = "destination-events";

    private final EnforceRules enforceRules;
    private final RuleIndex index;
    private final EnforcementProgress progress;
    private final DeadLetters deadLetters;
    private final ObjectMapper json;
    private final ObjectReader reader;

    DestinationEventConsumer(EnforceRules enforceRules, RuleIndex index, EnforcementProgress progress,
                             DeadLetters deadLetters, ObjectMapper json) {
        this.enforceRules = enforceRules;
        this.index = index;
        this.progress = progress;
        this.deadLetters = deadLetters;
        this.json = json;
        this.reader = json.readerFor(DestinationEvent.class);
    }

    @Incoming(Topics.DESTINATION_EVENTS)
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> batch) {
        List<TriggerEvent> events = new ArrayList<>(batch.count());
        List<DeadLetters.DeadLetter> dead = new ArrayList<>();
        RuleIndex.Snapshot rules = index.currentWaitingForDatabase(progress);
        for (ConsumerRecord<String, byte[]> record : batch) {
            try {
                DestinationEvent event = record.value() == null ? null : reader.readValue(record.value());
                if (event == null || event.type() == null || event.orgId() == null || event.destination() == null) {
                    dead.add(new DeadLetters.DeadLetter(record, "a destination event needs type, orgId and destination"));
                } else if (rules.ruleCount(event.orgId(), event.type()) > 0) {
                    events.add(asTrigger(event));
                }
            } catch (IOException | RuntimeException e) {
                dead.add(new DeadLetters.DeadLetter(record, "not a destination event: " + e.getMessage()));
            }
        }
        deadLetters.publish(dead);
        if (!events.isEmpty()) {
            enforceRules.run(events);
        }
    }

    TriggerEvent asTrigger(DestinationEvent event) {
        ObjectNode payload = json.valueToTree(event);
        payload.remove("version");
        Instant at = event.disabledAt() == null ? Instant.now() : event.disabledAt();
        return TriggerEvent.of(instanceId(event), event.orgId(), event.type(), null, at,
                new TriggerEvent.Source(SOURCE, null), payload, event.depth() + 1);
    }

    /** The same disabling always names the same trigger instance, so a redelivered event fires nothing twice. */
    static String instanceId(DestinationEvent event) {
        return UUID.nameUUIDFromBytes(("destination-event/" + event.type() + "/" + event.orgId() + "/"
                + event.destination() + "/" + event.disabledAt()).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
