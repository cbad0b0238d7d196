package io.hookflow.delivery.ratelimit;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * A destination's rate limit as operators see it: what was configured (null for a bucket only a 429 created), the
 * rate in force now (lower after 429s, climbing back), until when a Retry-After paused it, and the tokens left.
 */
@RegisterForReflection
public record RateLimit(String destination, Double perSecond, int burst, double currentPerSecond,
                        Instant throttledAt, Instant pausedUntil, double tokens, Instant updatedAt) {
}
