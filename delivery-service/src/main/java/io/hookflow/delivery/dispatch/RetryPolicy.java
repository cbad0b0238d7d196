package io.hookflow.delivery.dispatch;

import io.hookflow.delivery.config.DeliveryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** Decides whether a failed attempt is tried again, and when. */
@ApplicationScoped
public class RetryPolicy {

    private final List<Duration> schedule;
    private final double jitter;
    private final Duration maxRetryAfter;

    RetryPolicy(DeliveryConfig config) {
        this.schedule = List.copyOf(config.retry().schedule());
        this.jitter = config.retry().jitter();
        this.maxRetryAfter = config.retry().maxRetryAfter();
    }

    public int maxAttempts() {
        return schedule.size() + 1;
    }

    /** @return the delay before the next attempt, or empty when the execution has failed for good */
    public Optional<Duration> nextDelay(int attemptsMade, HttpResult result) {
        if (result.succeeded() || !result.retryable() || attemptsMade >= maxAttempts()) {
            return Optional.empty();
        }
        Duration retryAfter = result.retryAfter(Instant.now());
        if (retryAfter != null) {
            // The target said when it can take more; asking earlier would only be refused again.
            return Optional.of(retryAfter.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter);
        }
        return Optional.of(withJitter(schedule.get(attemptsMade - 1)));
    }

    private Duration withJitter(Duration delay) {
        if (jitter <= 0) {
            return delay;
        }
        double factor = 1 + ThreadLocalRandom.current().nextDouble(-jitter, jitter);
        return Duration.ofMillis(Math.round(delay.toMillis() * factor));
    }
}
