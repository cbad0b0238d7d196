package io.hookflow.ingest.idempotency;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.hookflow.ingest.config.IngestConfig;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Deletes idempotency keys older than the retention, periodically, so the table holds about one retention's worth of
 * keys. Every replica purges; the delete is idempotent, so they do not need to agree who does.
 */
@ApplicationScoped
public class IdempotencyPurge {

    private static final Logger LOG = Logger.getLogger(IdempotencyPurge.class);

    private final IdempotencyStore store;
    private final IngestConfig config;
    private final Vertx vertx;
    private long timer = -1;

    IdempotencyPurge(IdempotencyStore store, IngestConfig config, Vertx vertx) {
        this.store = store;
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent startup) {
        timer = vertx.setPeriodic(config.idempotencyPurgeInterval().toMillis(), id -> vertx.executeBlocking(() -> {
            purge();
            return null;
        }, false));
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Deletes the expired keys; returns how many. */
    @ActivateRequestContext
    public int purge() {
        try {
            int deleted = store.purgeExpired();
            if (deleted > 0) {
                LOG.debugf("Purged %d expired idempotency keys", deleted);
            }
            return deleted;
        } catch (RuntimeException e) {
            LOG.warnf("Purging expired idempotency keys failed; retrying at the next interval: %s", e.toString());
            return 0;
        }
    }
}
