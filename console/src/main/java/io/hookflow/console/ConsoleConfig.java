package io.hookflow.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.util.Optional;

/** Where the three services are, as the console (not the browser) reaches them. */
@ConfigMapping(prefix = "hookflow.console")
public interface ConsoleConfig {

    /** ingest-service's base URL (env HOOKFLOW_CONSOLE_INGEST_URL). */
    @WithDefault("http://localhost:8081")
    URI ingestUrl();

    /** rules-service's base URL (env HOOKFLOW_CONSOLE_RULES_URL). */
    @WithDefault("http://localhost:8082")
    URI rulesUrl();

    /** delivery-service's base URL (env HOOKFLOW_CONSOLE_DELIVERY_URL). */
    @WithDefault("http://localhost:8083")
    URI deliveryUrl();

    /**
     * The ingest URL senders use from outside (an ingress), shown in the webhooks' copyable URLs; ingestUrl when unset
     * (env HOOKFLOW_CONSOLE_PUBLIC_INGEST_URL).
     */
    Optional<URI> publicIngestUrl();
}
