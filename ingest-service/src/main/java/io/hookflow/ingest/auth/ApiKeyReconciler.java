package io.hookflow.ingest.auth;

import io.hookflow.common.auth.ApiKeyRegistry;
import io.hookflow.ingest.config.IngestConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Repairs the rare disagreement between the stored API keys and the {@code api-keys} topic. A change is published
 * before its transaction commits (so an unpublished change is never answered as made); if that commit then fails, the
 * topic holds a change the table does not. The table wins, as the caller was told the change was not made: the stored
 * state is published again under a higher revision, and a key that exists only on the topic gets a tombstone. The
 * one exception is a key the topic already deleted: no service can bring it back, so its row is deleted too.
 *
 * <p>A difference is repaired only when two passes in a row see it unchanged: a change between its publication and
 * its commit looks the same for a moment. Every replica reconciles; repairs are idempotent.
 */
@ApplicationScoped
public class ApiKeyReconciler {

    private static final Logger LOG = Logger.getLogger(ApiKeyReconciler.class);

    private final ApiKeyRepository repository;
    private final CredentialPublisher publisher;
    private final ApiKeyRegistry registry;
    private final IngestConfig config;
    private final Vertx vertx;
    /** The differences the previous pass saw, by key id: repaired if this pass sees the same. */
    private Map<String, Difference> seenBefore = Map.of();
    private long timer = -1;

    ApiKeyReconciler(ApiKeyRepository repository, CredentialPublisher publisher, ApiKeyRegistry registry,
                     IngestConfig config, Vertx vertx) {
        this.repository = repository;
        this.publisher = publisher;
        this.registry = registry;
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent startup) {
        timer = vertx.setPeriodic(config.apiKeyReconcileInterval().toMillis(), id -> vertx.executeBlocking(() -> {
            reconcile();
            return null;
        }, false));
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** One pass: compares, and repairs what the previous pass saw too. @return how many keys were repaired */
    public synchronized int reconcile() {
        if (!registry.following() || !registry.caughtUp()) {
            return 0; // the topic is not fully read yet: every key would look missing
        }
        try {
            Map<String, Difference> now = differences();
            int repaired = 0;
            for (Map.Entry<String, Difference> difference : now.entrySet()) {
                if (difference.getValue().equals(seenBefore.get(difference.getKey()))) {
                    repair(difference.getKey(), difference.getValue());
                    repaired++;
                }
            }
            Map<String, Difference> pending = new HashMap<>(now);
            seenBefore.keySet().forEach(pending::remove);
            seenBefore = pending;
            return repaired;
        } catch (RuntimeException e) {
            LOG.warnf("Comparing API keys with the api-keys topic failed; trying again at the next interval: %s",
                    e.toString());
            return 0;
        }
    }

    private Map<String, Difference> differences() {
        List<ApiKey> stored = QuarkusTransaction.requiringNew().call(() -> repository.listAll());
        Map<String, ApiKeyRegistry.Entry> published = new HashMap<>();
        registry.entries().forEach(entry -> published.put(entry.id(), entry));
        Map<String, Difference> differences = new HashMap<>();
        for (ApiKey key : stored) {
            String id = key.id.toString();
            ApiKeyRegistry.Entry entry = published.remove(id);
            if (entry == null) {
                differences.put(id, registry.wasDeleted(id) ? new Difference(Kind.DELETED_ON_TOPIC, key.revision, 0)
                        : new Difference(Kind.MISSING_ON_TOPIC, key.revision, 0));
            } else if (!same(key, entry)) {
                differences.put(id, new Difference(Kind.DIFFERS, key.revision, entry.revision()));
            }
        }
        published.values().forEach(entry ->
                differences.put(entry.id(), new Difference(Kind.ONLY_ON_TOPIC, 0, entry.revision())));
        return differences;
    }

    private static boolean same(ApiKey key, ApiKeyRegistry.Entry entry) {
        return key.revision == entry.revision() && key.enabled == entry.enabled() && key.orgId.equals(entry.orgId())
                && Arrays.equals(Base64.getUrlDecoder().decode(key.digest), entry.digest());
    }

    private void repair(String id, Difference difference) {
        LOG.warnf("API key %s: %s for two passes; repairing", id, difference);
        QuarkusTransaction.requiringNew().run(() -> {
            Optional<ApiKey> locked = repository.findByIdOptional(UUID.fromString(id), LockModeType.PESSIMISTIC_WRITE);
            switch (difference.kind()) {
                case DELETED_ON_TOPIC -> locked.ifPresent(repository::delete);
                case ONLY_ON_TOPIC -> {
                    if (locked.isEmpty()) {
                        publisher.publishDeleted(id);
                    }
                }
                case MISSING_ON_TOPIC, DIFFERS -> locked.ifPresent(key -> {
                    // Above every revision either side has seen, so every registry takes it.
                    key.revision = Math.max(key.revision, difference.publishedRevision()) + 1;
                    repository.flush();
                    publisher.publish(ApiKeyService.change(key));
                });
            }
        });
    }

    private enum Kind { MISSING_ON_TOPIC, DELETED_ON_TOPIC, DIFFERS, ONLY_ON_TOPIC }

    /** What differs about one key, with the revisions each side holds (0: none). */
    private record Difference(Kind kind, long storedRevision, long publishedRevision) {
    }
}
