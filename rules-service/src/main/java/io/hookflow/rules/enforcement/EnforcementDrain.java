package io.hookflow.rules.enforcement;

import io.hookflow.common.event.Topics;
import io.hookflow.rules.config.RulesConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Graceful drain on shutdown, before the Kafka consumers close (they commit what was processed as they close): take
 * no new batches, and let the batches under way be recorded and published within {@code hookflow.rules.drain-timeout}.
 * A batch that does not finish in time stays uncommitted and is enforced again by the replica that gets its partition;
 * its task ids are the same, so that makes no second execution.
 */
@ApplicationScoped
public class EnforcementDrain {

    private static final Logger LOG = Logger.getLogger(EnforcementDrain.class);
    /** Before the default observers (2500). */
    static final int PRIORITY = 1000;

    private final ChannelRegistry channels;
    private final EnforceRules enforceRules;
    private final RulesConfig config;

    EnforcementDrain(ChannelRegistry channels, EnforceRules enforceRules, RulesConfig config) {
        this.channels = channels;
        this.enforceRules = enforceRules;
        this.config = config;
    }

    void drain(@Observes @Priority(PRIORITY) ShutdownEvent shutdown) {
        long begin = System.nanoTime();
        for (String topic : List.of(Topics.TRIGGER_EVENTS, Topics.EXECUTION_EVENTS)) {
            pause(topic);
            // A channel with `concurrency` runs as copies named "<channel>$1", "$2", ...: SmallRye registers each copy
            // as pausable under that name (none under the plain name), so each is paused on its own.
            int copy = 1;
            while (pause(topic + "$" + copy)) {
                copy++;
            }
        }
        int unfinished;
        try {
            unfinished = enforceRules.awaitIdle(config.drainTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unfinished = -1;
        }
        LOG.infof("Rules enforcement drained in %d ms; %s", (System.nanoTime() - begin) / 1_000_000,
                unfinished == 0 ? "every batch under way finished"
                        : "batches still under way are left uncommitted for the next owner of their partitions");
    }

    /** @return whether the channel exists (and is now paused) */
    private boolean pause(String name) {
        PausableChannel channel = channels.getPausable(name);
        if (channel != null) {
            channel.pause();
        }
        return channel != null;
    }
}
