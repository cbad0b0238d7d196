package io.hookflow.ingest.idempotency;

import io.hookflow.ingest.config.IngestConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Idempotency keys in PostgreSQL. A key is claimed (PENDING) before its event is published and completed (DONE, with
 * the answer) only after the broker acknowledged it, so a repeat is never answered with an event that was not stored.
 * The primary key (org, key) plus insert-on-conflict makes concurrent claims race-safe: exactly one wins.
 */
@ApplicationScoped
public class IdempotencyStore {

    /**
     * A PENDING claim older than this was abandoned (its process died between claim and answer); a repeat may take it
     * over. Far longer than a publish can take (max.block.ms + delivery.timeout.ms).
     */
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(1);

    /** What a claim found. */
    public sealed interface Claim {
    }

    /** This request owns the key and publishes its event. */
    public record Owned() implements Claim {
    }

    /** An earlier request with this key was accepted: answer as it was answered. */
    public record Replay(String answer) implements Claim {
    }

    /** An earlier request with this key is still being published. */
    public record InProgress() implements Claim {
    }

    private final EntityManager entityManager;
    private final Duration retention;

    IdempotencyStore(EntityManager entityManager, IngestConfig config) {
        this.entityManager = entityManager;
        this.retention = config.idempotencyRetention();
    }

    public Claim claim(String orgId, String key, UUID triggerInstanceId) {
        // Two rounds: a claim released between our insert and our read leaves nothing to read, so we try once more.
        for (int round = 0; round < 2; round++) {
            Instant now = Instant.now();
            if (tryClaim(orgId, key, triggerInstanceId, now)) {
                return new Owned();
            }
            List<?> rows = QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery("""
                            select state, answer from {h-schema}idempotency_key
                             where org_id = :org and idem_key = :key""")
                    .setParameter("org", orgId).setParameter("key", key)
                    .getResultList());
            if (!rows.isEmpty()) {
                Object[] row = (Object[]) rows.get(0);
                return "DONE".equals(row[0]) ? new Replay((String) row[1]) : new InProgress();
            }
        }
        return new InProgress();
    }

    /** Records the answer once the broker acknowledged the event; from now on repeats get it. */
    public void complete(String orgId, String key, UUID triggerInstanceId, String answer) {
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery("""
                        update {h-schema}idempotency_key
                           set state = 'DONE', answer = :answer, updated_at = :now
                         where org_id = :org and idem_key = :key and trigger_instance_id = :id""")
                .setParameter("answer", answer).setParameter("now", Instant.now())
                .setParameter("org", orgId).setParameter("key", key).setParameter("id", triggerInstanceId)
                .executeUpdate());
    }

    /** Gives the key back when the event was not stored, so the sender's retry is published rather than refused. */
    public void release(String orgId, String key, UUID triggerInstanceId) {
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery("""
                        delete from {h-schema}idempotency_key
                         where org_id = :org and idem_key = :key and trigger_instance_id = :id and state = 'PENDING'""")
                .setParameter("org", orgId).setParameter("key", key).setParameter("id", triggerInstanceId)
                .executeUpdate());
    }

    /** Deletes keys past the retention: they would be taken over by a new claim anyway, so nothing reads them. */
    public int purgeExpired() {
        Instant expiredBefore = Instant.now().minus(retention);
        return QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery("""
                        delete from {h-schema}idempotency_key where created_at < :expiredBefore""")
                .setParameter("expiredBefore", expiredBefore)
                .executeUpdate());
    }

    private boolean tryClaim(String orgId, String key, UUID triggerInstanceId, Instant now) {
        // An expired key, or a claim whose owner died, is taken over in the same statement.
        List<?> claimed = QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery("""
                        insert into {h-schema}idempotency_key as k
                               (org_id, idem_key, trigger_instance_id, state, created_at, updated_at)
                        values (:org, :key, :id, 'PENDING', :now, :now)
                        on conflict (org_id, idem_key) do update
                           set trigger_instance_id = excluded.trigger_instance_id, state = 'PENDING', answer = null,
                               created_at = excluded.created_at, updated_at = excluded.updated_at
                         where k.created_at < :expiredBefore
                            or (k.state = 'PENDING' and k.updated_at < :abandonedBefore)
                        returning trigger_instance_id""")
                .setParameter("org", orgId).setParameter("key", key).setParameter("id", triggerInstanceId)
                .setParameter("now", now)
                .setParameter("expiredBefore", now.minus(retention))
                .setParameter("abandonedBefore", now.minus(ABANDONED_AFTER))
                .getResultList());
        return !claimed.isEmpty();
    }
}
