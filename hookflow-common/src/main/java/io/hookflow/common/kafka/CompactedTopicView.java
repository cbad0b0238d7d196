package io.hookflow.common.kafka;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.jboss.logging.Logger;

/**
 * A service's in-memory view of a compacted topic (API keys, token revocations, rule-registered webhooks): it starts
 * reading the topic with the service, in full and then following it ({@link CompactedTopicReader}), stops with the
 * service, and is ready once it has caught up. A subclass says what a record means in {@link #apply}; it is a
 * {@code @Singleton} bean (one view per service, and a client proxy would need a no-args constructor here).
 */
public abstract class CompactedTopicView {

    private static final Logger LOG = Logger.getLogger(CompactedTopicView.class);

    private final String topic;
    private final Optional<String> bootstrapServers;
    private final String withoutBroker;
    private volatile CompactedTopicReader reader;

    /**
     * @param bootstrapServers empty or blank: the view stays empty and says so in the log, with
     * @param withoutBroker    what that means for the service
     */
    protected CompactedTopicView(String topic, Optional<String> bootstrapServers, String withoutBroker) {
        this.topic = topic;
        this.bootstrapServers = bootstrapServers.filter(servers -> !servers.isBlank());
        this.withoutBroker = withoutBroker;
    }

    /** Applies one record of the topic; {@code value} is null for a tombstone (the key was deleted). */
    protected abstract void apply(String key, String value);

    void start(@Observes StartupEvent startup) {
        if (bootstrapServers.isEmpty()) {
            LOG.warnf("kafka.bootstrap.servers is not set: %s", withoutBroker);
            return;
        }
        reader = new CompactedTopicReader(bootstrapServers.get(), topic, this::apply).start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        CompactedTopicReader current = reader;
        if (current != null) {
            current.close();
        }
    }

    /** Whether this view follows the topic at all (it does whenever a broker is configured). */
    public boolean following() {
        return bootstrapServers.isPresent();
    }

    /** True once every record that existed when reading began has been applied. */
    public boolean caughtUp() {
        CompactedTopicReader current = reader;
        return current != null && current.caughtUp();
    }

    /** Ready when caught up, or when there is no topic to read; named for the health check that reports it. */
    public HealthCheckResponse readiness(String name) {
        return HealthCheckResponse.named(name).status(!following() || caughtUp()).withData("caughtUp", caughtUp())
                .build();
    }
}
