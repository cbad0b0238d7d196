package io.hookflow.ingest.idempotency;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Idempotency keys older than the retention (24 h) are deleted; younger ones stay and keep answering. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class IdempotencyPurgeTest {

    @Inject
    IdempotencyPurge purge;

    @Inject
    EntityManager entityManager;

    @Test
    void shouldDeleteKeysOlderThanTheRetentionAndKeepYoungerOnes() {
        String old = "old-" + UUID.randomUUID();
        String young = "young-" + UUID.randomUUID();
        insert(old, Instant.now().minus(Duration.ofHours(25)));
        insert(young, Instant.now().minus(Duration.ofHours(23)));

        assertTrue(purge.purge() >= 1);

        assertEquals(0, count(old));
        assertEquals(1, count(young));
    }

    private void insert(String key, Instant createdAt) {
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery("""
                        insert into ingest.idempotency_key (org_id, idem_key, trigger_instance_id, state, answer,
                                                            created_at, updated_at)
                        values ('default', :key, :id, 'DONE', '{}', :at, :at)""")
                .setParameter("key", key).setParameter("id", UUID.randomUUID()).setParameter("at", createdAt)
                .executeUpdate());
    }

    private long count(String key) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager.createNativeQuery(
                        "select count(*) from ingest.idempotency_key where idem_key = :key")
                .setParameter("key", key).getSingleResult()).longValue());
    }
}
