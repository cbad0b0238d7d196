package io.hookflow.rules.progress;

import io.hookflow.rules.config.RulesConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Default;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Whether trigger events are getting through. A batch that cannot be recorded or published is retried for as long as
 * it takes (its events stay uncommitted, so nothing is lost), which from the outside looks like a healthy, idle
 * consumer. Each retrying batch is noted here; once the oldest has been failing longer than
 * {@code hookflow.rules.stall-threshold}, readiness goes DOWN with the reason, and the gauge
 * {@code hookflow_rules_enforcement_stalled_seconds} shows how long it has been stuck.
 */
@Readiness
@Default
@ApplicationScoped
public class EnforcementProgress implements HealthCheck {

    private final Duration threshold;
    private final java.util.function.LongSupplier nanoClock;
    /** Retrying batches: a token per batch, with when it first failed and why it last failed. */
    private final Map<Object, Failure> failing = new ConcurrentHashMap<>();

    private record Failure(long sinceNanos, String reason) {
    }

    @jakarta.inject.Inject
    EnforcementProgress(RulesConfig config, MeterRegistry registry) {
        this(config, registry, System::nanoTime);
    }

    EnforcementProgress(RulesConfig config, MeterRegistry registry, java.util.function.LongSupplier nanoClock) {
        this.threshold = config.stallThreshold();
        this.nanoClock = nanoClock;
        Gauge.builder("hookflow_rules_enforcement_stalled_seconds", this, progress -> progress.stalledFor().toMillis() / 1000.0)
                .description("How long the oldest batch of trigger events has been failing to be recorded or published "
                        + "(0 when every batch goes through)")
                .register(registry);
    }

    /** A batch failed and will be retried; {@code batch} stays the same object across its retries. */
    public void failing(Object batch, String reason) {
        failing.compute(batch, (key, known) -> new Failure(known == null ? nanoClock.getAsLong() : known.sinceNanos(), reason));
    }

    /** The batch went through (or was given up): it no longer counts as stuck. */
    public void done(Object batch) {
        failing.remove(batch);
    }

    Duration stalledFor() {
        long now = nanoClock.getAsLong();
        return failing.values().stream().map(f -> Duration.ofNanos(now - f.sinceNanos())).max(Duration::compareTo)
                .orElse(Duration.ZERO);
    }

    @Override
    public HealthCheckResponse call() {
        Duration stalled = stalledFor();
        var response = HealthCheckResponse.named("trigger event enforcement");
        if (stalled.compareTo(threshold) <= 0) {
            return response.up().build();
        }
        String reason = failing.values().stream().min((a, b) -> Long.compare(a.sinceNanos(), b.sinceNanos()))
                .map(Failure::reason).orElse("unknown");
        return response.down().withData("stalledSeconds", stalled.toSeconds()).withData("lastError", reason).build();
    }
}
