package io.hookflow.delivery.observe;

import io.hookflow.delivery.http.HttpResult;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What operators watch on /q/metrics: attempts by outcome, their latency as a histogram (for percentiles across
 * replicas), and how many executions are due but not yet claimed.
 */
@ApplicationScoped
public class DeliveryMetrics {

    static final String ATTEMPTS = "hookflow.delivery.attempts";
    static final String ATTEMPT_DURATION = "hookflow.delivery.attempt.duration";
    static final String DUE = "hookflow.delivery.due.executions";
    static final String OPEN_CIRCUITS = "hookflow.delivery.open.circuits";
    static final String RESPONSES = "hookflow.delivery.responses";
    static final String RATE_LIMITED = "hookflow.delivery.rate.limited";
    static final String THROTTLED = "hookflow.delivery.throttled.destinations";

    private final MeterRegistry registry;
    /** Refreshed by the worker between claims: a scrape must not run a query of its own. */
    private final AtomicLong due = new AtomicLong();
    private final AtomicLong openCircuits = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final Counter rateLimited;

    DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(DUE, due, AtomicLong::get)
                .description("Executions (pending or retrying) whose time has come and that no worker has claimed yet")
                .register(registry);
        Gauge.builder(OPEN_CIRCUITS, openCircuits, AtomicLong::get)
                .description("Destination circuits (per organisation) that are open or half-open, across all replicas")
                .register(registry);
        Gauge.builder(THROTTLED, throttled, AtomicLong::get)
                .description("Rate limits (per organisation and destination or rule) paused by a Retry-After or slowed by"
                        + " 429s and not yet back at their rate, across all replicas")
                .register(registry);
        rateLimited = Counter.builder(RATE_LIMITED)
                .description("Due executions a claim chose but left due because their rate limit had no token")
                .register(registry);
    }

    /** Counts the attempt; its latency too, unless it was refused before anything was sent. */
    public void attempted(HttpResult result) {
        String outcome = result.refused() ? "refused" : result.succeeded() ? "success" : "failure";
        Counter.builder(ATTEMPTS).description("Delivery attempts by outcome").tag("outcome", outcome)
                .register(registry).increment();
        Counter.builder(RESPONSES).description("Delivery attempts by what came back: 2xx..5xx, none (no response), refused")
                .tag("status_class", statusClass(result)).register(registry).increment();
        if (!result.refused()) {
            Timer.builder(ATTEMPT_DURATION).description("Duration of delivery attempts, from send to response end")
                    .tag("outcome", outcome)
                    .publishPercentileHistogram()
                    .register(registry)
                    .record(Duration.ofMillis(result.durationMs()));
        }
    }

    static String statusClass(HttpResult result) {
        if (result.refused()) {
            return "refused";
        }
        Integer status = result.status();
        return status == null || status < 100 || status > 599 ? "none" : (status / 100) + "xx";
    }

    public void openCircuits(long count) {
        openCircuits.set(count);
    }

    public void throttledDestinations(long count) {
        throttled.set(count);
    }

    /** Executions a claim held back for their rate limit (each time it did: one execution may count more than once). */
    public void heldByRateLimit(int count) {
        rateLimited.increment(count);
    }

    public void dueExecutions(long count) {
        due.set(count);
    }
}
