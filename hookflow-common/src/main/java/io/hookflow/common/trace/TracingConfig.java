package io.hookflow.common.trace;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Where spans go and how many are kept. */
@ConfigMapping(prefix = "hookflow.tracing")
public interface TracingConfig {

    /**
     * The OTLP/HTTP endpoint (e.g. {@code http://otel-collector:4318}); spans go to {@code <endpoint>/v1/traces} as
     * OTLP JSON. Without one nothing is exported, but trace context is still created, propagated and stored.
     */
    Optional<String> endpoint();

    /**
     * The share of new traces kept, 0..1 (a trace started with a sampled {@code traceparent} is always kept). A span
     * that ends in error (a failed delivery attempt) is exported whatever the sampling said.
     */
    @WithDefault("0.1")
    double ratio();
}
