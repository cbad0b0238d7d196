package io.hookflow.common.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
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

    /**
     * Keys that no longer sign but still verify (env {@code HOOKFLOW_PREVIOUS_TOKEN_KEYS}, comma-separated): during a
     * rotation the old key stays here until every token it signed has expired (at most {@link #tokenTtl()}).
     */
    Optional<List<String>> previousTokenKeys();

    /** The {@code iss} of issued tokens; a token from another issuer is refused. */
    @WithDefault("hookflow")
    String tokenIssuer();

    /** The {@code aud} of issued tokens; a token for another audience (another Hookflow installation) is refused. */
    @WithDefault("hookflow")
    String tokenAudience();

    /** How long an issued token lives; a caller may ask for less, never more. */
    @WithDefault("24h")
    Duration tokenTtl();
}
