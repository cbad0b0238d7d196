package io.hookflow.rules.observe;

import io.hookflow.common.event.ExecutionEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The pipeline's latency as a user sees it: from the moment ingest received the webhook to the moment its execution
 * ended (succeeded or failed for good), as a histogram by outcome. Measured here because rules-service is where both
 * ends meet: it recorded the trigger instance's receive time, and it reads every execution event. One query per batch
 * of execution events, only for the final ones.
 */
@ApplicationScoped
public class TriggerToDelivery {

    static final String NAME = "hookflow.pipeline.trigger.to.delivery";
    private static final Logger LOG = Logger.getLogger(TriggerToDelivery.class);

    private final EntityManager entityManager;
    private final Timer succeeded;
    private final Timer failed;

    TriggerToDelivery(EntityManager entityManager, MeterRegistry registry) {
        this.entityManager = entityManager;
        this.succeeded = timer(registry, "succeeded");
        this.failed = timer(registry, "failed");
    }

    private static Timer timer(MeterRegistry registry, String outcome) {
        return Timer.builder(NAME)
                .description("From the webhook's receipt at ingest to its execution's end (succeeded, or failed for good)")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofHours(6))
                .register(registry);
    }

    /** Records the executions among these events that just ended; never throws (a metric must not stop a batch). */
    public void observe(List<ExecutionEvent> events) {
        List<ExecutionEvent> ended = new ArrayList<>();
        for (ExecutionEvent event : events) {
            if (event != null && event.triggerInstanceId() != null && event.occurredAt() != null
                    && ended(event.status()) && !event.status().equals(event.previousStatus())) {
                ended.add(event);
            }
        }
        if (ended.isEmpty()) {
            return;
        }
        try {
            Map<String, Instant> received = receivedAt(ended.stream().map(ExecutionEvent::triggerInstanceId).distinct()
                    .toList());
            for (ExecutionEvent event : ended) {
                Instant from = received.get(event.triggerInstanceId());
                if (from != null && !event.occurredAt().isBefore(from)) {
                    ("SUCCEEDED".equals(event.status().toUpperCase(Locale.ROOT)) ? succeeded : failed)
                            .record(Duration.between(from, event.occurredAt()));
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf("Could not measure trigger-to-delivery latency: %s", e.toString());
        }
    }

    static boolean ended(String status) {
        return "SUCCEEDED".equalsIgnoreCase(status) || "FAILED".equalsIgnoreCase(status);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Instant> receivedAt(List<String> instances) {
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                        "select id, received_at from {h-schema}trigger_instance where id in (:ids)")
                .setParameter("ids", instances).getResultList());
        Map<String, Instant> received = new HashMap<>();
        for (Object[] row : rows) {
            received.put((String) row[0], instant(row[1]));
        }
        return received;
    }

    private static Instant instant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        throw new IllegalStateException("not a time: " + value);
    }
}
