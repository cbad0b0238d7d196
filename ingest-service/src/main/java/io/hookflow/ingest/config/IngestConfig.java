package io.hookflow.ingest.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** ingest-service's own settings; each has a local default and an environment override. */
@ConfigMapping(prefix = "hookflow.ingest")
public interface IngestConfig {

    /** The largest webhook body accepted; a larger one gets 413 before it is read to the end. */
    @WithDefault("1M")
    MemorySize maxBodySize();

    /** How deeply JSON may nest; deeper bodies are refused before they cost stack or memory. */
    @WithDefault("64")
    int maxJsonDepth();

    /** How far a Standard Webhooks {@code webhook-timestamp} may be from our clock. */
    @WithDefault("5m")
    Duration signatureTolerance();

    /** How long an {@code Idempotency-Key} (or {@code webhook-id}) keeps answering with the first result. */
    @WithDefault("24h")
    Duration idempotencyRetention();

    /** How often expired idempotency keys are deleted. */
    @WithDefault("1h")
    Duration idempotencyPurgeInterval();

    /**
     * How often the stored API keys are compared with the {@code api-keys} topic. A difference is repaired when two
     * passes in a row see it, so this must be longer than a transaction may take (60 s by default).
     */
    @WithDefault("2m")
    Duration apiKeyReconcileInterval();

    /** The do-nothing endpoint the benchmark compares against; never on in production. */
    BenchEndpoint benchEndpoint();

    interface BenchEndpoint {
        @WithDefault("false")
        boolean enabled();
    }
}
