package io.hookflow.rules.enforcement;

import io.hookflow.rules.observe.TriggerToDelivery;
import io.hookflow.rules.observe.TriggerTraces;
import io.hookflow.rules.progress.EnforcementProgress;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookflow.common.event.ExecutionEvent;
import io.hookflow.common.event.Topics;
import io.hookflow.common.event.TriggerEvent;
import io.hookflow.rules.index.RuleIndex;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The system's own events as triggers: each execution status change is a trigger instance of type
 * {@code hookflow.execution.<status>} (e.g. {@code hookflow.execution.failed}) whose payload is the event, one level
 * deeper than the task that caused it, so a rule can notify someone when a delivery fails without chains looping. Only
 * statuses some rule of the organisation listens to become trigger instances (see {@link #consume}).
 */
@ApplicationScoped
public class ExecutionEventConsumer {

    public static final String TRIGGER_PREFIX = "hookflow.execution.";
    static final String SOURCE = "execution-events";

    private final EnforceRules enforceRules;
    private final RuleIndex index;
    private final EnforcementProgress progress;
    private final DeadLetters deadLetters;
    private final ObjectMapper json;
    private final ObjectReader reader;
    private final TriggerToDelivery triggerToDelivery;
    private final TriggerTraces traces;

    ExecutionEventConsumer(EnforceRules enforceRules, RuleIndex index, EnforcementProgress progress, DeadLetters deadLetters,
                           ObjectMapper json, TriggerToDelivery triggerToDelivery, TriggerTraces traces) {
        this.enforceRules = enforceRules;
        this.index = index;
        this.progress = progress;
        this.deadLetters = deadLetters;
        this.json = json;
        this.reader = json.readerFor(ExecutionEvent.class);
        this.triggerToDelivery = triggerToDelivery;
        this.traces = traces;
    }

    @Incoming(Topics.EXECUTION_EVENTS)
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> batch) {
        List<TriggerEvent> events = new ArrayList<>(batch.count());
        List<DeadLetters.DeadLetter> dead = new ArrayList<>();
        List<ExecutionEvent> read = new ArrayList<>(batch.count());
        RuleIndex.Snapshot rules = index.currentWaitingForDatabase(progress);
        for (ConsumerRecord<String, byte[]> record : batch) {
            try {
                ExecutionEvent event = record.value() == null ? null : reader.readValue(record.value());
                read.add(event);
                if (event == null || event.executionId() == null || event.orgId() == null || event.status() == null) {
                    dead.add(new DeadLetters.DeadLetter(record, "an execution event needs executionId, orgId and status"));
                } else if (rules.ruleCount(event.orgId(), TRIGGER_PREFIX + event.status().toLowerCase(Locale.ROOT)) > 0) {
                    TriggerEvent trigger = asTrigger(event);
                    events.add(trigger);
                    // The status event's publish span (delivery) is the parent: the rule continues the webhook's trace.
                    traces.received(trigger.id(), trigger.trigger(), Topics.EXECUTION_EVENTS, record.headers());
                }
                // Else no rule of the organisation listens to this status: nothing would fire, and recording every
                // delivery's three or so status changes as trigger instances would cost more than the delivery itself.
                // The execution and its history stay in delivery-service.
            } catch (IOException | RuntimeException e) {
                dead.add(new DeadLetters.DeadLetter(record, "not an execution event: " + e.getMessage()));
            }
        }
        deadLetters.publish(dead);
        triggerToDelivery.observe(read);
        if (!events.isEmpty()) {
            List<String> ids = events.stream().map(TriggerEvent::id).toList();
            try {
                enforceRules.run(events);
                traces.done(ids, null);
            } catch (RuntimeException e) {
                traces.done(ids, e);
                throw e;
            }
        }
    }

    TriggerEvent asTrigger(ExecutionEvent event) {
        ObjectNode payload = json.valueToTree(event);
        payload.remove("version");
        String status = event.status().toLowerCase(Locale.ROOT);
        return TriggerEvent.of(instanceId(event), event.orgId(), TRIGGER_PREFIX + status, null,
                event.occurredAt() == null ? Instant.now() : event.occurredAt(), new TriggerEvent.Source(SOURCE, null),
                payload, event.depth() + 1);
    }

    /**
     * The same status change always names the same trigger instance, so a redelivered execution event fires nothing
     * twice; a status reached again after another attempt is a new instance.
     */
    static String instanceId(ExecutionEvent event) {
        return UUID.nameUUIDFromBytes(("execution-event/" + event.executionId() + "/" + event.status() + "/"
                + event.previousStatus() + "/" + event.attemptCount()).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
