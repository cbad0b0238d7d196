package io.hookflow.rules.enforcement;

import io.hookflow.common.event.Topics;
import io.hookflow.common.event.TriggerEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/** Consumes trigger events; the offset is committed only after the event's tasks are on the broker. */
@ApplicationScoped
public class TriggerEventConsumer {

    private static final Logger LOG = Logger.getLogger(TriggerEventConsumer.class);

    private final EnforceRules enforceRules;

    TriggerEventConsumer(EnforceRules enforceRules) {
        this.enforceRules = enforceRules;
    }

    @Incoming(Topics.TRIGGER_EVENTS)
    @Blocking
    public void consume(TriggerEvent event) {
        if (event == null || event.id() == null || event.orgId() == null || event.trigger() == null) {
            // Retrying cannot repair an event without identity; skip it rather than block the partition.
            LOG.errorf("Skipped a malformed trigger event: %s", event);
            return;
        }
        var tasks = enforceRules.run(event);
        LOG.debugf("Trigger instance %s (%s) produced %d task(s)", event.id(), event.trigger(), tasks.size());
    }
}
