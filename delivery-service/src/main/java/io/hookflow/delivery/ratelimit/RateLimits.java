package io.hookflow.delivery.ratelimit;

import io.hookflow.common.event.OutboundRequest;
import io.hookflow.delivery.config.DeliveryConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A destination's rate limit as set by operators, and what a 429 does to it: halves the rate in force and, with a
 * Retry-After, pauses the destination for every replica until then.
 */
@ApplicationScoped
public class RateLimits {

    private final RateLimitRepository buckets;
    private final TakeTokens tokens;
    private final DeliveryConfig.RateLimit config;
    private final Duration maxRetryAfter;

    RateLimits(RateLimitRepository buckets, TakeTokens tokens, DeliveryConfig config) {
        this.buckets = buckets;
        this.tokens = tokens;
        this.config = config.rateLimit();
        this.maxRetryAfter = config.retry().maxRetryAfter();
    }

    /** A rule's rate as delivery applies it: within the bounds rules-service validates against, whatever came. */
    static double boundedRate(double perSecond) {
        return Math.max(OutboundRequest.RateLimit.MIN_PER_SECOND, Math.min(OutboundRequest.RateLimit.MAX_PER_SECOND,
                perSecond));
    }

    /** The burst: as given (bounded), else one second's worth of the rate, at least one request. */
    static int boundedBurst(Integer burst, double perSecond) {
        int value = burst != null ? burst : (int) Math.ceil(perSecond);
        return Math.max(1, Math.min(OutboundRequest.RateLimit.MAX_BURST, value));
    }

    @Transactional
    public RateLimit set(String orgId, String destination, double perSecond, int burst) {
        Instant now = Instant.now();
        buckets.configure(orgId, RateLimitRepository.DESTINATION, destination, perSecond, burst, now);
        tokens.release(orgId, destination);
        return buckets.find(orgId, destination, now).orElseThrow();
    }

    @Transactional
    public Optional<RateLimit> get(String orgId, String destination) {
        return buckets.find(orgId, destination, Instant.now());
    }

    /** Removes the limit and any adaptive state (a pause included); @return whether there was one. */
    @Transactional
    public boolean remove(String orgId, String destination) {
        tokens.release(orgId, destination);
        return buckets.remove(orgId, RateLimitRepository.DESTINATION, destination);
    }

    /**
     * The destination answered 429, in the caller's transaction (the attempt's recording): its rate halves, and a
     * Retry-After (bounded by {@code hookflow.delivery.retry.max-retry-after}) pauses it until then.
     */
    public void tooManyRequests(String orgId, String destination, Duration retryAfter, Instant now) {
        if (destination == null) {
            return;
        }
        Instant pausedUntil = retryAfter == null || retryAfter.isZero() ? null
                : now.plus(retryAfter.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter);
        buckets.throttle(orgId, destination, pausedUntil, config.adaptiveStart(), config.minPerSecond(), now);
    }

    /** Of these destinations of the organisation, those with a bucket: their executions wait for a token. */
    public Set<String> limitedDestinations(String orgId, Set<String> destinations) {
        return buckets.limitedDestinations(orgId, destinations);
    }

    /** Housekeeping between claims: adaptive buckets back at their start are dropped; @return buckets throttled now. */
    @Transactional
    public long tidy(Instant now) {
        buckets.forgetRecovered(now);
        return buckets.countThrottled(now);
    }
}
