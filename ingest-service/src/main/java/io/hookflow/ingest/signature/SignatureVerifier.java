package io.hookflow.ingest.signature;

import io.hookflow.common.error.ApiException;
import io.hookflow.ingest.config.IngestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies a request signed with a webhook's secret, over the raw body: GitHub's {@code X-Hub-Signature-256} or
 * Standard Webhooks' {@code webhook-id} / {@code webhook-timestamp} / {@code webhook-signature}. Comparisons are
 * constant-time; every refusal is a 401 that says what was wrong.
 */
@ApplicationScoped
public class SignatureVerifier {

    public static final String GITHUB_SIGNATURE = "X-Hub-Signature-256";
    public static final String STANDARD_ID = "webhook-id";
    public static final String STANDARD_TIMESTAMP = "webhook-timestamp";
    public static final String STANDARD_SIGNATURE = "webhook-signature";

    private final Duration tolerance;
    private final Clock clock;

    @Inject
    SignatureVerifier(IngestConfig config) {
        this(config.signatureTolerance(), Clock.systemUTC());
    }

    SignatureVerifier(Duration tolerance, Clock clock) {
        this.tolerance = tolerance;
        this.clock = clock;
    }

    public void verify(String secret, byte[] body, HttpHeaders headers) {
        String standard = headers.getHeaderString(STANDARD_SIGNATURE);
        if (standard != null) {
            verifyStandard(secret, body, headers.getHeaderString(STANDARD_ID), headers.getHeaderString(STANDARD_TIMESTAMP),
                    standard);
        } else {
            verifyGithub(secret, body, headers.getHeaderString(GITHUB_SIGNATURE));
        }
    }

    void verifyGithub(String secret, byte[] body, String header) {
        String prefix = "sha256=";
        if (header == null || !header.startsWith(prefix)) {
            throw signature("invalid_signature", GITHUB_SIGNATURE + " must be 'sha256=<hex HMAC-SHA256 of the body>'");
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.substring(prefix.length()).trim());
        } catch (IllegalArgumentException e) {
            throw signature("invalid_signature", GITHUB_SIGNATURE + " is not hexadecimal");
        }
        if (!MessageDigest.isEqual(hmac(WebhookSecret.key(secret), body), given)) {
            throw signature("invalid_signature", GITHUB_SIGNATURE + " does not match the body and the webhook's secret");
        }
    }

    void verifyStandard(String secret, byte[] body, String id, String timestamp, String signatures) {
        if (id == null || id.isBlank() || timestamp == null) {
            throw signature("invalid_signature", "Standard Webhooks signatures need the webhook-id and webhook-timestamp headers");
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw signature("invalid_signature", "webhook-timestamp must be seconds since the epoch");
        }
        Duration skew = Duration.between(Instant.ofEpochSecond(seconds), clock.instant()).abs();
        if (skew.compareTo(tolerance) > 0) {
            throw signature("stale_signature", "webhook-timestamp is more than " + tolerance.toSeconds()
                    + " seconds away from now; sign the request again");
        }
        byte[] signed = (id + "." + timestamp.trim() + ".").getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[signed.length + body.length];
        System.arraycopy(signed, 0, content, 0, signed.length);
        System.arraycopy(body, 0, content, signed.length, body.length);
        byte[] expected = hmac(WebhookSecret.key(secret), content);
        // Several signatures are allowed while a secret rotates; one valid v1 signature is enough.
        boolean matched = false;
        for (String candidate : signatures.trim().split(" +")) {
            if (!candidate.startsWith("v1,")) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(candidate.substring(3));
            } catch (IllegalArgumentException e) {
                continue;
            }
            matched |= MessageDigest.isEqual(expected, given);
        }
        if (!matched) {
            throw signature("invalid_signature", "no v1 signature in webhook-signature matches the body and the webhook's secret");
        }
    }

    static byte[] hmac(byte[] key, byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    private static ApiException signature(String error, String message) {
        return new ApiException(401, error, message);
    }
}
