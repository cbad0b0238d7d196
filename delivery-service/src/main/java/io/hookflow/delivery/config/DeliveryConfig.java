package io.hookflow.delivery.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;

@ConfigMapping(prefix = "hookflow.delivery")
public interface DeliveryConfig {

    /** Requests in flight at once on this replica. */
    @WithDefault("64")
    int maxInFlight();

    /** How often the worker looks for due retries when nothing woke it earlier. */
    @WithDefault("1s")
    Duration pollInterval();

    /**
     * How long a claimed execution stays with its worker. Longer than connect plus read timeout, so a slow but
     * alive attempt is never taken over and sent twice.
     */
    @WithDefault("2m")
    Duration lease();

    @WithDefault("10s")
    Duration connectTimeout();

    @WithDefault("30s")
    Duration readTimeout();

    /** How much of a response body an attempt keeps. */
    @WithDefault("4096")
    int responseBodyLimit();

    Retry retry();

    interface Retry {

        /** Delays before the 2nd, 3rd, ... attempt; the first is immediate. Its length + 1 is the attempt limit. */
        @WithDefault("5s,5m,30m,2h,5h,10h,10h")
        List<Duration> schedule();

        /** Spread each delay by up to this fraction either way, so failed bursts do not retry in lockstep. */
        @WithDefault("0.2")
        double jitter();

        /** The longest Retry-After we honour; a target asking for more gets this. */
        @WithDefault("1h")
        Duration maxRetryAfter();
    }
}
