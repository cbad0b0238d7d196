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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs a request body for an action with a secret, two ways at once: GitHub style ({@code sha256=<hex>} in a
 * configurable header, keyed by the secret's UTF-8 bytes) and Standard Webhooks ({@code webhook-id},
 * {@code webhook-timestamp}, {@code webhook-signature: v1,<base64>} over "{id}.{timestamp}.{body}"), so receivers can
 * verify with off-the-shelf libraries.
 *
 * <p>A secret {@code signing-keys:all} or {@code signing-keys:<id>,<id>...} instead names the organisation's own
 * signing keys ({@link SigningKeys}): the request then carries Standard Webhooks headers only, with one entry per key
 * that still signs ({@code v1a,} for Ed25519, {@code v1,} for HMAC), space-separated, so receivers keep verifying
 * while keys rotate. Such a signer must be bound to the organisation of the delivery ({@link #forOrg}).
 */
@ApplicationScoped
public class RequestSigner {

    public static final String WEBHOOK_ID = "webhook-id";
    public static final String WEBHOOK_TIMESTAMP = "webhook-timestamp";
    public static final String WEBHOOK_SIGNATURE = "webhook-signature";
    static final String STANDARD_SECRET_PREFIX = "whsec_";
    /** How an action's secret refers to the organisation's signing keys instead of being one. */
    public static final String KEYS_PREFIX = "signing-keys:";
    static final String ALL_KEYS = "all";

    private final String signatureHeader;
    private final OrgSigningKeys keys;
    private final String orgId;

    @Inject
    RequestSigner(DeliveryConfig config, OrgSigningKeys keys) {
        this(config.signing().header(), keys, null);
    }

    RequestSigner(String signatureHeader) {
        this(signatureHeader, null, null);
    }

    private RequestSigner(String signatureHeader, OrgSigningKeys keys, String orgId) {
        this.signatureHeader = signatureHeader;
        this.keys = keys;
        this.orgId = orgId;
    }

    /** This signer for one organisation's requests: only its signing keys can be named by their secrets. */
    public RequestSigner forOrg(String orgId) {
        return new RequestSigner(signatureHeader, keys, orgId);
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
        if (secret.startsWith(KEYS_PREFIX)) {
            headers.put(WEBHOOK_ID, messageId);
            headers.put(WEBHOOK_TIMESTAMP, Long.toString(seconds));
            byte[] signed = concat((messageId + "." + seconds + ".").getBytes(StandardCharsets.UTF_8), payload);
            headers.put(WEBHOOK_SIGNATURE, String.join(" ", keysNamedBy(secret, timestamp).stream()
                    .map(key -> key.signature(signed)).toList()));
            return headers;
        }
        headers.put(signatureHeader, "sha256=" + HexFormat.of().formatHex(
                hmac(secret.getBytes(StandardCharsets.UTF_8), payload)));
        headers.put(WEBHOOK_ID, messageId);
        headers.put(WEBHOOK_TIMESTAMP, Long.toString(seconds));
        byte[] signed = concat((messageId + "." + seconds + ".").getBytes(StandardCharsets.UTF_8), payload);
        headers.put(WEBHOOK_SIGNATURE, "v1," + Base64.getEncoder().encodeToString(hmac(standardKey(secret), signed)));
        return headers;
    }

    /**
     * The organisation's keys a {@code signing-keys:} secret names that still sign at {@code now}. A named key that is
     * retired is skipped (the rule may still list it after a rotation); one the organisation does not have is refused.
     */
    private List<OrgSigningKeys.OpenedKey> keysNamedBy(String secret, Instant now) {
        if (orgId == null || keys == null) {
            throw new IllegalArgumentException("signing keys can only sign an organisation's deliveries");
        }
        String names = secret.substring(KEYS_PREFIX.length()).strip();
        List<OrgSigningKeys.OpenedKey> signing = keys.signing(orgId, now);
        List<OrgSigningKeys.OpenedKey> chosen;
        if (names.equals(ALL_KEYS)) {
            chosen = signing;
        } else {
            chosen = new ArrayList<>();
            for (String name : names.split(",")) {
                String id = name.strip();
                Optional<OrgSigningKeys.OpenedKey> key = signing.stream().filter(k -> k.id().equals(id)).findFirst();
                if (key.isPresent()) {
                    chosen.add(key.get());
                } else if (!keys.isRetired(orgId, id, now)) {
                    // The same answer for another organisation's key as for none at all.
                    throw new IllegalArgumentException("the signing key '" + abbreviated(id)
                            + "' is not one of the organisation's keys");
                }
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException(names.equals(ALL_KEYS)
                    ? "the organisation has no active signing key (POST /api/v1/signing-keys)"
                    : "every signing key the action names is retired");
        }
        return chosen;
    }

    private static String abbreviated(String id) {
        return id.length() > 40 ? id.substring(0, 40) + "..." : id;
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
