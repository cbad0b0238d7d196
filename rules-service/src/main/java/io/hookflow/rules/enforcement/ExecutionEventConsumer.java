package io.hookflow.rules.enforcement;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookflow.common.event.ExecutionEvent;
import io.hookflow.common.event.Topics;
import io.hookflow.common.event.TriggerEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * The system's own events as triggers: each execution status change is a trigger instance of type
 * {@code hookflow.execution.<status>} (e.g. {@code hookflow.execution.failed}) whose payload is the event, one level
 * deeper than the task that caused it, so a rule can notify someone when a delivery fails without chains looping.
 */
@ApplicationScoped
public class ExecutionEventConsumer {

    public static final String TRIGGER_PREFIX = "hookflow.execution.";
    static final String SOURCE = "execution-events";
    private static final Logger LOG = Logger.getLogger(ExecutionEventConsumer.class);

    private final EnforceRules enforceRules;
    private final ObjectMapper json;

    ExecutionEventConsumer(EnforceRules enforceRules, ObjectMapper json) {
        this.enforceRules = enforceRules;
        this.json = json;
    }

    @Incoming(Topics.EXECUTION_EVENTS)
    @Blocking
    public void consume(List<ExecutionEvent> batch) {
        List<TriggerEvent> events = new ArrayList<>(batch.size());
        for (ExecutionEvent event : batch) {
            if (event == null || event.executionId() == null || event.orgId() == null || event.status() == null) {
                LOG.errorf("Skipped a malformed execution event: %s", event);
            } else {
                events.add(asTrigger(event));
            }
        }
        if (!events.isEmpty()) {
            enforceRules.run(events);
        }
    }

    TriggerEvent asTrigger(ExecutionEvent event) {
        ObjectNode payload = json.valueToTree(event);
        payload.remove("version");
        String status = event.status().toLowerCase(Locale.ROOT);
        return new TriggerEvent(TriggerEvent.VERSION, instanceId(event), event.orgId(), TRIGGER_PREFIX + status, null,
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
