package io.hookflow.common.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

@ConfigMapping(prefix = "hookflow.auth")
public interface AuthConfig {

    /** The bootstrap admin API key; comes from the environment or a Kubernetes Secret, never from the repository. */
    Optional<String> bootstrapApiKey();

    /** The organisation the bootstrap key acts for. */
    @WithDefault("default")
    String bootstrapOrgId();
}
