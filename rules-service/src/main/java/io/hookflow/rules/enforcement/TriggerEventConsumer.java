package io.hookflow.rules.enforcement;

import io.hookflow.common.event.Topics;
import io.hookflow.common.event.TriggerEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes trigger events a poll at a time, several batches at once; the offsets are committed only after the batch's
 * records are stored and its tasks are on the broker.
 */
@ApplicationScoped
public class TriggerEventConsumer {

    private static final Logger LOG = Logger.getLogger(TriggerEventConsumer.class);

    private final EnforceRules enforceRules;

    TriggerEventConsumer(EnforceRules enforceRules) {
        this.enforceRules = enforceRules;
    }

    @Incoming(Topics.TRIGGER_EVENTS)
    // Unordered: the next batch is matched while this one waits for the database and the broker. Nothing depends on
    // the order of trigger instances (each task stands alone), and offsets are still committed only up to the oldest
    // batch not yet done.
    @Blocking(value = "rules-enforcement", ordered = false)
    public void consume(List<TriggerEvent> batch) {
        List<TriggerEvent> events = new ArrayList<>(batch.size());
        for (TriggerEvent event : batch) {
            if (event == null || event.id() == null || event.orgId() == null || event.trigger() == null) {
                // Retrying cannot repair an event without identity; skip it rather than block the partition.
                LOG.errorf("Skipped a malformed trigger event: %s", event);
            } else {
                events.add(event);
            }
        }
        if (!events.isEmpty()) {
            var outcome = enforceRules.run(events);
            LOG.debugf("%d trigger instance(s) produced %d task(s)", events.size(), outcome.tasks().size());
        }
    }
}
