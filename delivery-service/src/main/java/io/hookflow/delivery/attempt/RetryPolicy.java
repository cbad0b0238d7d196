package io.hookflow.delivery.attempt;

import io.hookflow.delivery.http.HttpResult;

import io.hookflow.common.event.OutboundRequest.RetryOverride;
import io.hookflow.delivery.config.DeliveryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decides whether a failed attempt is tried again, and when: the global schedule, or the rule's own when its request
 * carries one. A rule's values are clamped into sane bounds here too, whatever rules-service let through.
 */
@ApplicationScoped
public class RetryPolicy {

    /**
     * Bounds for a rule's own policy, the same rules-service validates against (one definition, beside the contract):
     * enough for a day of patience, never a hot loop or an endless one.
     */
    public static final int MAX_ATTEMPTS_LIMIT = io.hookflow.common.event.OutboundRequest.RetryOverride.MAX_ATTEMPTS;
    public static final int MIN_DELAY_SECONDS = io.hookflow.common.event.OutboundRequest.RetryOverride.MIN_DELAY_SECONDS;
    public static final int MAX_DELAY_SECONDS = io.hookflow.common.event.OutboundRequest.RetryOverride.MAX_DELAY_SECONDS;

    private final List<Duration> schedule;
    private final double jitter;
    private final Duration maxRetryAfter;

    @Inject
    RetryPolicy(DeliveryConfig config) {
        this(config.retry().schedule(), config.retry().jitter(), config.retry().maxRetryAfter());
    }

    RetryPolicy(List<Duration> schedule, double jitter, Duration maxRetryAfter) {
        this.schedule = List.copyOf(schedule);
        this.jitter = jitter;
        this.maxRetryAfter = maxRetryAfter;
    }

    /** The default attempt limit: the first attempt plus one per schedule entry. */
    public int maxAttempts() {
        return schedule.size() + 1;
    }

    /** The attempt limit for a request with this override (null = the default). */
    public int maxAttempts(RetryOverride override) {
        if (override != null && override.maxAttempts() != null) {
            return Math.max(1, Math.min(MAX_ATTEMPTS_LIMIT, override.maxAttempts()));
        }
        if (override != null && hasSchedule(override)) {
            return Math.min(MAX_ATTEMPTS_LIMIT, override.scheduleSeconds().size() + 1);
        }
        return maxAttempts();
    }

    /** @return the delay before the next attempt, or empty when the execution has failed for good */
    public Optional<Duration> nextDelay(int attemptsMade, HttpResult result) {
        return nextDelay(attemptsMade, result, null);
    }

    /** As {@link #nextDelay(int, HttpResult)} under the rule's own policy, if it has one. */
    public Optional<Duration> nextDelay(int attemptsMade, HttpResult result, RetryOverride override) {
        if (result.succeeded() || !result.retryable() || attemptsMade >= maxAttempts(override)) {
            return Optional.empty();
        }
        Duration retryAfter = result.retryAfter(Instant.now());
        if (retryAfter != null) {
            // The target said when it can take more; asking earlier would only be refused again.
            return Optional.of(retryAfter.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter);
        }
        return Optional.of(withJitter(delayBefore(attemptsMade + 1, override)));
    }

    /** The scheduled delay before attempt {@code number} (2 or more); past the end, the last entry repeats. */
    Duration delayBefore(int number, RetryOverride override) {
        if (override != null && hasSchedule(override)) {
            List<Integer> own = override.scheduleSeconds();
            Integer seconds = own.get(Math.min(number - 2, own.size() - 1));
            int bounded = seconds == null ? MIN_DELAY_SECONDS
                    : Math.max(MIN_DELAY_SECONDS, Math.min(MAX_DELAY_SECONDS, seconds));
            return Duration.ofSeconds(bounded);
        }
        return schedule.get(Math.min(number - 2, schedule.size() - 1));
    }

    private static boolean hasSchedule(RetryOverride override) {
        return override.scheduleSeconds() != null && !override.scheduleSeconds().isEmpty();
    }

    private Duration withJitter(Duration delay) {
        if (jitter <= 0) {
            return delay;
        }
        double factor = 1 + ThreadLocalRandom.current().nextDouble(-jitter, jitter);
        return Duration.ofMillis(Math.round(delay.toMillis() * factor));
    }
}
