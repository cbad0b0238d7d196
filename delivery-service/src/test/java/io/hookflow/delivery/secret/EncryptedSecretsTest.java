package io.hookflow.delivery.secret;

import static io.hookflow.delivery.DeliveryTestSupport.awaitStatus;
import static io.hookflow.delivery.DeliveryTestSupport.publish;
import static io.hookflow.delivery.DeliveryTestSupport.task;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.crypto.SecretCipher;
import io.hookflow.delivery.DeliveryTestSupport;
import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.stack.RecordedRequest;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Secrets arrive encrypted, stay encrypted in the database, and are opened only to sign and send. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class EncryptedSecretsTest {

    static RequestSink sink;

    /** The test profile's key, as rules-service would encrypt with it. */
    static final SecretCipher cipher = DeliveryTestSupport.cipher();

    @Inject
    EntityManager entityManager;

    @BeforeAll
    static void startSink() {
        sink = RequestSink.start(0);
    }

    @AfterAll
    static void stopSink() {
        sink.close();
    }

    @Test
    void shouldSignAndAuthenticateWithThePlaintextWhenTheTaskCarriesEncryptedSecrets() throws Exception {
        String secret = "s3cret-" + UUID.randomUUID();
        String password = "pa55-" + UUID.randomUUID();
        String body = "{\"encrypted\":true}";
        ActionTask task = task(new OutboundRequest("POST", sink.url("/hooks/encrypted"), Map.of(), body, "alice",
                cipher.encrypt(password), cipher.encrypt(secret), null));
        publish(task);

        RecordedRequest received = sink.awaitRequestTo("/hooks/encrypted", Duration.ofSeconds(20));
        assertEquals("sha256=" + hexHmac(secret, received.body()), received.headers().get("x-hookflow-signature"));
        assertEquals("Basic " + Base64.getEncoder().encodeToString(("alice:" + password).getBytes(StandardCharsets.UTF_8)),
                received.headers().get("authorization"));

        String shown = awaitStatus(task.id(), "SUCCEEDED")
                .body("request.secret", equalTo("********"))
                .body("request.password", equalTo("********"))
                .extract().asString();
        assertFalse(shown.contains(secret) || shown.contains(password), shown);
        assertFalse(shown.contains(SecretCipher.PREFIX), "ciphertext is not shown either: " + shown);
        String stored = storedRequest(task.id());
        assertFalse(stored.contains(secret) || stored.contains(password), stored);
    }

    @Test
    void shouldStoreSecretsEncryptedWhenATaskCarriesThemInTheClear() throws Exception {
        String secret = "plain-" + UUID.randomUUID();
        String password = "plainpw-" + UUID.randomUUID();
        ActionTask task = task(new OutboundRequest("POST", sink.url("/hooks/plaintext"), Map.of(), "{}", "bob", password,
                secret, null));
        publish(task);

        RecordedRequest received = sink.awaitRequestTo("/hooks/plaintext", Duration.ofSeconds(20));
        assertEquals("sha256=" + hexHmac(secret, received.body()), received.headers().get("x-hookflow-signature"));
        awaitStatus(task.id(), "SUCCEEDED");

        String stored = storedRequest(task.id());
        assertFalse(stored.contains(secret), stored);
        assertFalse(stored.contains(password), stored);
        assertTrue(stored.contains(SecretCipher.PREFIX), stored);
    }

    @Test
    void shouldFailWithoutRetryingOrSendingWhenASecretCannotBeDecrypted() throws Exception {
        byte[] otherKey = new byte[32];
        new SecureRandom().nextBytes(otherKey);
        SecretCipher stranger = new SecretCipher(Optional.of(Base64.getEncoder().encodeToString(otherKey)), List.of());
        ActionTask task = task(new OutboundRequest("POST", sink.url("/hooks/undecryptable"), Map.of(), "{}", null, null,
                stranger.encrypt("whatever"), null));
        publish(task);

        awaitStatus(task.id(), "FAILED")
                .body("attemptCount", equalTo(1))
                .body("lastError", containsString("signing secret could not be decrypted"))
                .body("attempts[0].error", containsString("refused"));
        assertTrue(sink.requestsTo("/hooks/undecryptable").isEmpty());
    }

    @Test
    void shouldSendDatastoreSecretsInTheClearButStoreAndShowThemOnlySealedOrMasked() throws Exception {
        String token = "kv-token-" + UUID.randomUUID();
        String pathSecret = "T0" + UUID.randomUUID().toString().replace("-", "");
        String tokenPlaceholder = OutboundRequest.SEALED_PREFIX + UUID.randomUUID().toString().replace("-", "");
        String pathPlaceholder = OutboundRequest.SEALED_PREFIX + UUID.randomUUID().toString().replace("-", "");
        // A placeholder that the task does not declare is left alone: only declared ones are ever replaced.
        String undeclared = OutboundRequest.SEALED_PREFIX + "not-declared";
        String body = "{\"token\":\"" + tokenPlaceholder + "\",\"echo\":\"" + undeclared + "\"}";
        ActionTask task = task(new OutboundRequest("POST", sink.url("/hooks/kv/" + pathPlaceholder),
                Map.of("Authorization", "Bearer " + tokenPlaceholder, "X-Token-Copy", tokenPlaceholder), body, null, null,
                null, null, null, null,
                Map.of(tokenPlaceholder, cipher.encrypt(token), pathPlaceholder, cipher.encrypt(pathSecret))));
        publish(task);

        RecordedRequest received = sink.awaitRequestTo("/hooks/kv/" + pathSecret, Duration.ofSeconds(20));
        assertEquals("Bearer " + token, received.headers().get("authorization"));
        assertEquals(token, received.headers().get("x-token-copy"));
        assertEquals("{\"token\":\"" + token + "\",\"echo\":\"" + undeclared + "\"}", received.body());

        String shown = awaitStatus(task.id(), "SUCCEEDED").extract().asString();
        assertFalse(shown.contains(token) || shown.contains(pathSecret), shown);
        assertTrue(shown.contains("/hooks/kv/********"), "the attempt shows the url with the secret masked: " + shown);
        String stored = storedRequest(task.id());
        assertFalse(stored.contains(token) || stored.contains(pathSecret), stored);
        String attempts = QuarkusTransaction.requiringNew().call(() -> (String) entityManager
                .createNativeQuery("select string_agg(cast(request as text), ' ') from delivery.attempt where execution_id = :id")
                .setParameter("id", UUID.fromString(task.id()))
                .getSingleResult());
        assertFalse(attempts.contains(token) || attempts.contains(pathSecret), attempts);
    }

    private String storedRequest(String id) {
        return QuarkusTransaction.requiringNew().call(() -> (String) entityManager
                .createNativeQuery("select cast(request as text) from delivery.execution where id = :id")
                .setParameter("id", UUID.fromString(id))
                .getSingleResult());
    }

    private static String hexHmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
