package io.hookflow.delivery.signing;

import io.hookflow.delivery.config.DeliveryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a request body for an action with a secret, two ways at once: GitHub style ({@code sha256=<hex>} in a
 * configurable header, keyed by the secret's UTF-8 bytes) and Standard Webhooks ({@code webhook-id},
 * {@code webhook-timestamp}, {@code webhook-signature: v1,<base64>} over "{id}.{timestamp}.{body}"), so receivers can
 * verify with off-the-shelf libraries.
 */
@ApplicationScoped
public class RequestSigner {

    public static final String WEBHOOK_ID = "webhook-id";
    public static final String WEBHOOK_TIMESTAMP = "webhook-timestamp";
    public static final String WEBHOOK_SIGNATURE = "webhook-signature";
    static final String STANDARD_SECRET_PREFIX = "whsec_";

    private final String signatureHeader;

    @Inject
    RequestSigner(DeliveryConfig config) {
        this(config.signing().header());
    }

    RequestSigner(String signatureHeader) {
        this.signatureHeader = signatureHeader;
    }

    /** The header that carries the hex signature (configurable). */
    public String signatureHeader() {
        return signatureHeader;
    }

    /**
     * The signature headers for one attempt.
     *
     * @throws IllegalArgumentException when a {@code whsec_} secret is not followed by base64
     */
    public Map<String, String> sign(String secret, String messageId, Instant timestamp, String body) {
        byte[] payload = (body == null ? "" : body).getBytes(StandardCharsets.UTF_8);
        long seconds = timestamp.getEpochSecond();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(signatureHeader, "sha256=" + HexFormat.of().formatHex(
                hmac(secret.getBytes(StandardCharsets.UTF_8), payload)));
        headers.put(WEBHOOK_ID, messageId);
        headers.put(WEBHOOK_TIMESTAMP, Long.toString(seconds));
        byte[] signed = concat((messageId + "." + seconds + ".").getBytes(StandardCharsets.UTF_8), payload);
        headers.put(WEBHOOK_SIGNATURE, "v1," + Base64.getEncoder().encodeToString(hmac(standardKey(secret), signed)));
        return headers;
    }

    /** Standard Webhooks keys are "whsec_" + base64 of the key bytes; any other secret is used as its UTF-8 bytes. */
    static byte[] standardKey(String secret) {
        if (!secret.startsWith(STANDARD_SECRET_PREFIX)) {
            return secret.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return Base64.getDecoder().decode(secret.substring(STANDARD_SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            // Never include the secret itself in the message: it ends up in lastError.
            throw new IllegalArgumentException("the signing secret starts with whsec_ but the rest is not base64");
        }
    }

    static byte[] hmac(byte[] key, byte[] data) {
        if (key.length == 0) {
            throw new IllegalArgumentException("the signing secret is empty");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] joined = new byte[first.length + second.length];
        System.arraycopy(first, 0, joined, 0, first.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }
}
