package io.hookflow.rules.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookflow.rules.config.RulesConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

/** A batch that keeps failing is a stall an operator can see: readiness DOWN with the reason, and a gauge. */
class EnforcementProgressTest {

    @Test
    void shouldReportAStallOnlyPastTheThresholdAndRecoverWhenTheBatchGoesThrough() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
        EnforcementProgress progress = new EnforcementProgress(config(Duration.ofSeconds(60)), registry, now::get);
        Object batch = new Object();

        progress.failing(batch, "publishing task(s): RecordTooLargeException");
        assertEquals(HealthCheckResponse.Status.UP, progress.call().getStatus(), "a fresh failure is not yet a stall");
        now.addAndGet(Duration.ofSeconds(61).toNanos());
        progress.failing(batch, "publishing task(s): still failing");
        HealthCheckResponse stalled = progress.call();
        assertEquals(HealthCheckResponse.Status.DOWN, stalled.getStatus());
        assertEquals("publishing task(s): still failing", stalled.getData().orElseThrow().get("lastError"));
        assertEquals(61.0, registry.get("hookflow_rules_enforcement_stalled_seconds").gauge().value(),
                "the gauge counts from the first failure, not the latest");

        progress.done(batch);
        assertEquals(HealthCheckResponse.Status.UP, progress.call().getStatus());
        assertEquals(0.0, registry.get("hookflow_rules_enforcement_stalled_seconds").gauge().value());
    }

    /** Only the stall threshold matters here; the other settings are never read. */
    static RulesConfig config(Duration stallThreshold) {
        return (RulesConfig) Proxy.newProxyInstance(RulesConfig.class.getClassLoader(), new Class<?>[] {RulesConfig.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("stallThreshold")) {
                        return stallThreshold;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
