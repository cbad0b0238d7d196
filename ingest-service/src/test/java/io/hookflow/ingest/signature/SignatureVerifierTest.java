package io.hookflow.ingest.signature;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hookflow.common.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The two signature schemes, computed as a sender would, against a fixed clock. */
class SignatureVerifierTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final byte[] BODY = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);

    final SignatureVerifier verifier = new SignatureVerifier(Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void shouldAcceptAGithubSignatureOfTheRawBody() {
        String header = "sha256=" + HexFormat.of().formatHex(SignatureVerifier.hmac("It's a Secret to Everybody".getBytes(StandardCharsets.UTF_8), BODY));
        assertDoesNotThrow(() -> verifier.verifyGithub("It's a Secret to Everybody", BODY, header));
    }

    @Test
    void shouldMatchGithubsPublishedExample() {
        // The example from GitHub's documentation on validating webhook deliveries.
        byte[] body = "Hello, World!".getBytes(StandardCharsets.UTF_8);
        assertDoesNotThrow(() -> verifier.verifyGithub("It's a Secret to Everybody", body,
                "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"));
    }

    @Test
    void shouldRefuseAGithubSignatureOfAnotherBody() {
        String header = "sha256=" + HexFormat.of().formatHex(SignatureVerifier.hmac("secret-1234".getBytes(StandardCharsets.UTF_8), BODY));
        ApiException refusal = assertThrows(ApiException.class,
                () -> verifier.verifyGithub("secret-1234", "{}".getBytes(StandardCharsets.UTF_8), header));
        assertEquals(401, refusal.status());
        assertEquals("invalid_signature", refusal.body().error());
        assertThrows(ApiException.class, () -> verifier.verifyGithub("secret-1234", BODY, "sha1=abc"));
        assertThrows(ApiException.class, () -> verifier.verifyGithub("secret-1234", BODY, "sha256=zz"));
    }

    @Test
    void shouldAcceptAnyOfSeveralStandardWebhooksSignaturesWithAWhsecKey() {
        byte[] key = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        String ts = Long.toString(NOW.getEpochSecond() - 60);
        String valid = standard(key, "msg_1", ts);
        assertDoesNotThrow(() -> verifier.verifyStandard(secret, BODY, "msg_1", ts,
                "v1,bm90IGl0 v1a,ignored " + valid));
    }

    @Test
    void shouldRefuseAStaleStandardWebhooksTimestamp() {
        String secret = "plain-text-secret";
        String ts = Long.toString(NOW.getEpochSecond() - 301);
        String signature = standard(secret.getBytes(StandardCharsets.UTF_8), "msg_1", ts);
        ApiException refusal = assertThrows(ApiException.class,
                () -> verifier.verifyStandard(secret, BODY, "msg_1", ts, signature));
        assertEquals("stale_signature", refusal.body().error());
        String future = Long.toString(NOW.getEpochSecond() + 301);
        assertThrows(ApiException.class, () -> verifier.verifyStandard(secret, BODY, "msg_1", future,
                standard(secret.getBytes(StandardCharsets.UTF_8), "msg_1", future)));
    }

    @Test
    void shouldRefuseAStandardWebhooksSignatureForAnotherId() {
        String secret = "plain-text-secret";
        String ts = Long.toString(NOW.getEpochSecond());
        String signature = standard(secret.getBytes(StandardCharsets.UTF_8), "msg_1", ts);
        ApiException refusal = assertThrows(ApiException.class,
                () -> verifier.verifyStandard(secret, BODY, "msg_2", ts, signature));
        assertEquals("invalid_signature", refusal.body().error());
    }

    static String standard(byte[] key, String id, String ts) {
        byte[] content = (id + "." + ts + "." + new String(BODY, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        return "v1," + Base64.getEncoder().encodeToString(SignatureVerifier.hmac(key, content));
    }
}
