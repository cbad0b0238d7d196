package io.hookflow.rules.enforcement;

import io.hookflow.rules.observe.TriggerTraces;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.hookflow.common.event.Topics;
import io.hookflow.common.event.TriggerEvent;
import io.hookflow.common.paging.PageQuery;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes trigger events a poll at a time, one batch after the other per consumer (several consumers per replica);
 * the offsets are committed only after the batch's
 * records are stored and its tasks are on the broker. The events arrive as bytes and are read here, so one that cannot
 * be read is not a null to skip but a dead letter with its reason.
 */
@ApplicationScoped
public class TriggerEventConsumer {

    private static final Logger LOG = Logger.getLogger(TriggerEventConsumer.class);

    private final EnforceRules enforceRules;
    private final DeadLetters deadLetters;
    private final ObjectReader reader;
    private final TriggerTraces traces;

    TriggerEventConsumer(EnforceRules enforceRules, DeadLetters deadLetters, ObjectMapper json, TriggerTraces traces) {
        this.enforceRules = enforceRules;
        this.traces = traces;
        this.deadLetters = deadLetters;
        this.reader = json.readerFor(TriggerEvent.class);
    }

    @Incoming(Topics.TRIGGER_EVENTS)
    // Ordered: a batch's tasks are on the broker before the next batch of the same consumer is enforced, so the tasks
    // of an ordered lane are published in the order of their trigger instances (docs/delivery.md, Ordered lanes).
    // Concurrency comes from several consumers per replica instead (the channel's concurrency attribute: a copy of the
    // channel per consumer, each calling this method in order on its own), each with
    // its own partitions: one trigger's events lie in one partition, so no two batches of one lane ever overlap.
    @Blocking(value = "rules-enforcement", ordered = true)
    public void consume(ConsumerRecords<String, byte[]> batch) {
        List<TriggerEvent> events = new ArrayList<>(batch.count());
        List<DeadLetters.DeadLetter> dead = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : batch) {
            String problem;
            TriggerEvent event = null;
            try {
                event = record.value() == null ? null : reader.readValue(record.value());
                problem = problemWith(event);
            } catch (IOException | RuntimeException e) {
                problem = "not a trigger event: " + e.getMessage();
            }
            if (problem == null) {
                events.add(event);
                traces.received(event.id(), event.trigger(), Topics.TRIGGER_EVENTS, record.headers());
            } else {
                // Retrying cannot repair it; it must neither block the partition nor vanish.
                dead.add(new DeadLetters.DeadLetter(record, problem));
            }
        }
        deadLetters.publish(dead);
        if (!events.isEmpty()) {
            List<String> ids = events.stream().map(TriggerEvent::id).toList();
            try {
                var outcome = enforceRules.run(events);
                traces.done(ids, null);
                LOG.debugf("%d trigger instance(s) produced %d task(s)", events.size(), outcome.tasks().size());
            } catch (RuntimeException e) {
                traces.done(ids, e);
                throw e;
            }
        }
    }

    /** Why the event cannot be enforced, or null when it can. */
    static String problemWith(TriggerEvent event) {
        if (event == null) {
            return "empty record (no trigger event)";
        }
        if (event.id() == null || event.id().isBlank()) {
            return "the trigger event has no id";
        }
        if (event.orgId() == null || event.orgId().isBlank()) {
            return "trigger event " + event.id() + " has no orgId";
        }
        if (event.trigger() == null || event.trigger().isBlank()) {
            return "trigger event " + event.id() + " has no trigger";
        }
        if (event.receivedAt() != null && (event.receivedAt().isBefore(PageQuery.EARLIEST)
                || event.receivedAt().isAfter(PageQuery.LATEST))) {
            // The database could never record it, and retrying the batch would stall every event behind it.
            return "trigger event " + event.id() + " has a receivedAt outside years 1 to 9999";
        }
        return null;
    }
}
