package io.hookflow.delivery.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.crypto.SecretCipher;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Rows written before encryption at rest, with their secrets in the clear, are encrypted in place. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class SealStoredSecretsTest {

    @Inject
    SealStoredSecrets sealStoredSecrets;

    @Inject
    EntityManager entityManager;

    @Test
    void shouldEncryptSecretsThatAnOlderVersionStoredInTheClear() {
        UUID id = UUID.randomUUID();
        String password = "old-pw-" + id;
        String secret = "old-secret-" + id;
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery("""
                        insert into delivery.execution (id, org_id, action_ref, status, request, attempt_count,
                                created_at, updated_at)
                        values (:id, 'default', 'core.http', 'FAILED', cast(:request as jsonb), 1, :now, :now)""")
                .setParameter("id", id)
                .setParameter("request", "{\"method\":\"POST\",\"url\":\"https://old.example.com/h\",\"username\":\"u\","
                        + "\"password\":\"" + password + "\",\"secret\":\"" + secret + "\"}")
                .setParameter("now", Instant.now())
                .executeUpdate());

        assertTrue(sealStoredSecrets.run() >= 1);

        String stored = QuarkusTransaction.requiringNew().call(() -> (String) entityManager
                .createNativeQuery("select cast(request as text) from delivery.execution where id = :id")
                .setParameter("id", id).getSingleResult());
        assertFalse(stored.contains(password) || stored.contains(secret), stored);
        assertTrue(stored.contains(SecretCipher.PREFIX), stored);
        assertEquals(0, sealStoredSecrets.run(), "nothing left to encrypt");
    }
}
