package io.hookflow.common.crypto;

import java.util.Base64;
import java.util.Optional;

/**
 * Signing secrets as Standard Webhooks writes them: {@code whsec_} followed by the base64 of the key bytes; any other
 * text is used as its own UTF-8 bytes. Checked where a secret is saved, so a broken one is refused there with a 400 and
 * not discovered at the first delivery.
 */
public final class SigningSecrets {

    public static final String STANDARD_PREFIX = "whsec_";

    private SigningSecrets() {
    }

    /** What is wrong with the secret, or empty when it can sign. */
    public static Optional<String> problemWith(String secret) {
        if (secret == null || secret.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (secret.startsWith(STANDARD_PREFIX)) {
            String key = secret.substring(STANDARD_PREFIX.length());
            if (key.isEmpty()) {
                return Optional.of("a whsec_ secret needs a base64 key after the prefix");
            }
            try {
                if (Base64.getDecoder().decode(key).length == 0) {
                    return Optional.of("a whsec_ secret needs a base64 key after the prefix");
                }
            } catch (IllegalArgumentException e) {
                return Optional.of("a whsec_ secret must be followed by standard base64 (the key bytes)");
            }
        }
        return Optional.empty();
    }
}
