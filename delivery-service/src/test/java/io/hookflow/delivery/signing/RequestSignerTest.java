package io.hookflow.delivery.signing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Known-answer tests, so the signatures match what other implementations compute. */
class RequestSignerTest {

    static RequestSigner signer(String header) {
        return new RequestSigner(header);
    }

    @Test
    void shouldSignTheBodyGitHubStyleWithTheSecretsBytes() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        Map<String, String> headers = signer("X-Hookflow-Signature")
                .sign("Jefe", "msg_1", Instant.ofEpochSecond(1), "what do ya want for nothing?");
        assertEquals("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                headers.get("X-Hookflow-Signature"));
    }

    @Test
    void shouldSignStandardWebhooksStyleWithTheDecodedWhsecKey() {
        // The Standard Webhooks specification's own example.
        Map<String, String> headers = signer("X-Hookflow-Signature").sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                "msg_p5jXN8AQM9LWM0D4loKWxJek", Instant.ofEpochSecond(1614265330), "{\"test\": 2432232314}");
        assertEquals("msg_p5jXN8AQM9LWM0D4loKWxJek", headers.get("webhook-id"));
        assertEquals("1614265330", headers.get("webhook-timestamp"));
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", headers.get("webhook-signature"));
    }

    @Test
    void shouldUseTheSecretsUtf8BytesWhenItIsNotAWhsecSecret() {
        assertArrayEquals("plain-secret".getBytes(StandardCharsets.UTF_8), RequestSigner.standardKey("plain-secret"));
    }

    @Test
    void shouldUseTheConfiguredHeaderName() {
        assertFalse(signer("X-Signature-256").sign("s", "id", Instant.EPOCH, "").get("X-Signature-256").isEmpty());
    }

    @Test
    void shouldRefuseAWhsecSecretThatIsNotBase64WithoutRevealingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> signer("X").sign("whsec_not*base64!", "id", Instant.EPOCH, "x"));
        assertFalse(e.getMessage().contains("not*base64!"));
    }

    @Test
    void shouldRefuseToSignWithSigningKeysOutsideAnOrganisation() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () ->
                signer("X-Hookflow-Signature").sign("signing-keys:all", "msg_1", Instant.ofEpochSecond(1), "{}"));
        assertEquals("signing keys can only sign an organisation's deliveries", refused.getMessage());
    }
}
