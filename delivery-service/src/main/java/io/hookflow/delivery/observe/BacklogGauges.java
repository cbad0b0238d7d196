package io.hookflow.delivery.observe;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The ages of what waits, shared by every replica (they read the same tables), refreshed every few seconds by one
 * small query so that a scrape never queries the database itself: how long the oldest due execution has waited, how
 * many outbox rows wait for the relay and since when, and since when the oldest open circuit has been open.
 */
@ApplicationScoped
public class BacklogGauges {

    static final String OLDEST_DUE_AGE = "hookflow.delivery.due.oldest.age.seconds";
    static final String OUTBOX_ROWS = "hookflow.delivery.outbox.rows";
    static final String OUTBOX_OLDEST_AGE = "hookflow.delivery.outbox.oldest.age.seconds";
    static final String CIRCUIT_OLDEST_OPEN_AGE = "hookflow.delivery.circuit.oldest.open.age.seconds";
    static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final Logger LOG = Logger.getLogger(BacklogGauges.class);

    private final EntityManager entityManager;
    private final AtomicReference<Snapshot> last = new AtomicReference<>(new Snapshot(0, 0, 0, 0));
    private ScheduledExecutorService timer;

    /** What one refresh read; ages in seconds, 0 when nothing waits. */
    record Snapshot(double oldestDueAge, double outboxRows, double outboxOldestAge, double oldestOpenCircuitAge) {
    }

    BacklogGauges(EntityManager entityManager, MeterRegistry registry) {
        this.entityManager = entityManager;
        Gauge.builder(OLDEST_DUE_AGE, last, s -> s.get().oldestDueAge())
                .description("How long the oldest due execution (pending or retrying, not parked) has been waiting")
                .baseUnit("seconds").register(registry);
        Gauge.builder(OUTBOX_ROWS, last, s -> s.get().outboxRows())
                .description("Outbox rows (one per transaction of status changes) not yet relayed to execution-events")
                .register(registry);
        Gauge.builder(OUTBOX_OLDEST_AGE, last, s -> s.get().outboxOldestAge())
                .description("Age of the oldest outbox row not yet relayed").baseUnit("seconds").register(registry);
        Gauge.builder(CIRCUIT_OLDEST_OPEN_AGE, last, s -> s.get().oldestOpenCircuitAge())
                .description("How long the longest-open destination circuit (open or half-open) has been open")
                .baseUnit("seconds").register(registry);
    }

    void start(@Observes StartupEvent startup) {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "backlog-gauges");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::refresh, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    void refresh() {
        try {
            last.set(QuarkusTransaction.requiringNew().timeout(10).call(this::read));
        } catch (RuntimeException e) {
            // The database is away: keep the last values; the worker and the health check say more.
            LOG.debugf("Could not refresh the backlog gauges: %s", e.toString());
        }
    }

    Snapshot read() {
        Object[] row = (Object[]) entityManager.createNativeQuery("""
                select
                  (select coalesce(extract(epoch from now() - min(next_attempt_at)), 0) from {h-schema}execution
                    where status in ('PENDING', 'RETRYING') and next_attempt_at <= now() and not circuit_parked),
                  (select count(*) from {h-schema}execution_event_outbox),
                  (select coalesce(extract(epoch from now() - min(created_at)), 0) from {h-schema}execution_event_outbox),
                  (select coalesce(extract(epoch from now() - min(opened_at)), 0) from {h-schema}destination_circuit
                    where state <> 'CLOSED')""").getSingleResult();
        return new Snapshot(number(row[0]), number(row[1]), number(row[2]), number(row[3]));
    }

    private static double number(Object value) {
        return value == null ? 0 : Math.max(0, ((Number) value).doubleValue());
    }
}
