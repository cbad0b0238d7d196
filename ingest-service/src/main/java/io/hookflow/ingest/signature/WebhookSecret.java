package io.hookflow.ingest.signature;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** A webhook's signing secret as HMAC key bytes: Standard Webhooks' {@code whsec_<base64>} form, or plain text. */
public final class WebhookSecret {

    static final String STANDARD_PREFIX = "whsec_";
    static final int MIN_LENGTH = 8;

    private WebhookSecret() {
    }

    public static byte[] key(String secret) {
        if (secret.startsWith(STANDARD_PREFIX)) {
            return Base64.getDecoder().decode(secret.substring(STANDARD_PREFIX.length()));
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    /** Why a secret cannot be used, if it cannot. */
    public static Optional<String> problem(String secret) {
        if (secret.length() < MIN_LENGTH) {
            return Optional.of("must be at least " + MIN_LENGTH + " characters");
        }
        if (secret.startsWith(STANDARD_PREFIX)) {
            try {
                if (key(secret).length == 0) {
                    return Optional.of("a whsec_ secret needs a base64 key after the prefix");
                }
            } catch (IllegalArgumentException e) {
                return Optional.of("a whsec_ secret must be followed by standard base64");
            }
        }
        return Optional.empty();
    }
}
