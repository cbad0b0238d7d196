package io.hookflow.delivery.signing;

import static io.hookflow.delivery.DeliveryTestSupport.awaitStatus;
import static io.hookflow.delivery.DeliveryTestSupport.publish;
import static io.hookflow.delivery.DeliveryTestSupport.task;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.event.ActionTask;
import io.hookflow.stack.RecordedRequest;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The receiver's side: it verifies both signatures with nothing but the JDK and the shared secret. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class SignedDeliveryTest {

    static RequestSink sink;

    @BeforeAll
    static void startSink() {
        sink = RequestSink.start(0);
    }

    @AfterAll
    static void stopSink() {
        sink.close();
    }

    @Test
    void shouldSendSignaturesTheReceiverCanVerifyWhenTheActionHasAStandardWebhooksSecret() throws Exception {
        byte[] key = new byte[24];
        new SecureRandom().nextBytes(key);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        String body = "{\"event\":\"pushed\",\"text\":\"caf\u00e9 \u2713\"}";
        ActionTask task = task("POST", sink.url("/hooks/signed"), Map.of("Content-Type", "application/json"), body, secret);
        publish(task);

        RecordedRequest received = sink.awaitRequest(Duration.ofSeconds(20));
        assertEquals(body, received.body());
        String id = received.headers().get("webhook-id");
        String timestamp = received.headers().get("webhook-timestamp");
        assertEquals(task.id(), id, "webhook-id is the execution id, the same on every retry");
        long age = Instant.now().getEpochSecond() - Long.parseLong(timestamp);
        assertTrue(age >= 0 && age < 300, "timestamp within a receiver's usual tolerance: " + timestamp);

        byte[] signed = (id + "." + timestamp + "." + received.body()).getBytes(StandardCharsets.UTF_8);
        String expectedStandard = "v1," + Base64.getEncoder().encodeToString(hmac(key, signed));
        assertTrue(MessageDigest.isEqual(expectedStandard.getBytes(StandardCharsets.UTF_8),
                received.headers().get("webhook-signature").getBytes(StandardCharsets.UTF_8)));

        String expectedHex = "sha256=" + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8),
                received.body().getBytes(StandardCharsets.UTF_8)));
        assertEquals(expectedHex, received.headers().get("x-hookflow-signature"));

        String stored = awaitStatus(task.id(), "SUCCEEDED")
                .body("request.secret", equalTo("********"))
                .body("attempts[0].request.headers.webhook-id", equalTo(task.id()))
                .body("attempts[0].request.headers.webhook-signature", equalTo("********"))
                .body("attempts[0].request.headers.X-Hookflow-Signature", equalTo("********"))
                .extract().asString();
        assertFalse(stored.contains(secret), stored);
        assertFalse(stored.contains(Base64.getEncoder().encodeToString(key)), stored);
        assertFalse(stored.contains(expectedHex.substring(7)), stored);
    }

    @Test
    void shouldSendNoSignatureHeadersWhenTheActionHasNoSecret() throws Exception {
        ActionTask task = task("POST", sink.url("/hooks/unsigned"), Map.of(), "plain", null);
        publish(task);

        RecordedRequest received = sink.awaitRequest(Duration.ofSeconds(20));
        assertFalse(received.headers().containsKey("webhook-signature"));
        assertFalse(received.headers().containsKey("x-hookflow-signature"));
        awaitStatus(task.id(), "SUCCEEDED");
    }

    @Test
    void shouldFailWithoutSendingWhenAWhsecSecretIsNotBase64() throws Exception {
        ActionTask task = task("POST", sink.url("/hooks/badsecret"), Map.of(), "x", "whsec_%%%not-base64%%%");
        publish(task);

        String stored = awaitStatus(task.id(), "FAILED")
                .body("attemptCount", equalTo(1))
                .body("lastError", equalTo("refused: the signing secret starts with whsec_ but the rest is not base64"))
                .extract().asString();
        assertFalse(stored.contains("not-base64%%%"), stored);
        assertTrue(sink.requests().stream().noneMatch(r -> r.path().equals("/hooks/badsecret")));
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }
}
