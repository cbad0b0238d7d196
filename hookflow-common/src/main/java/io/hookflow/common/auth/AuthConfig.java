package io.hookflow.common.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "hookflow.auth")
public interface AuthConfig {

    /** The bootstrap admin API key; comes from the environment or a Kubernetes Secret, never from the repository. */
    Optional<String> bootstrapApiKey();

    /** The organisation the bootstrap key acts for. */
    @WithDefault("default")
    String bootstrapOrgId();

    /**
     * Base64 of at least 32 random bytes that signs and verifies tokens (env {@code HOOKFLOW_TOKEN_KEY}, one
     * Kubernetes Secret shared by every service). Unset: this service rejects every token with a 401.
     */
    Optional<String> tokenKey();

    /** How long an issued token lives; a caller may ask for less, never more. */
    @WithDefault("24h")
    Duration tokenTtl();
}
