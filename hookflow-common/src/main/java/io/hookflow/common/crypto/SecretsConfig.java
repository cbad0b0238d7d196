package io.hookflow.common.crypto;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

@ConfigMapping(prefix = "hookflow.secrets")
public interface SecretsConfig {

    /**
     * Base64 of a 32-byte AES key (env {@code HOOKFLOW_SECRETS_KEY}, from a Kubernetes Secret in production). Rules
     * encrypt with it, delivery decrypts with it. Generate one with {@code openssl rand -base64 32}.
     */
    Optional<String> key();

    /** Earlier keys, still accepted for decryption while a rotation re-encrypts what they protect. */
    Optional<List<String>> previousKeys();
}
