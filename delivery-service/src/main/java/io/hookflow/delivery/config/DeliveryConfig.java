package io.hookflow.delivery.config;


import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

@ConfigMapping(prefix = "hookflow.delivery")
public interface DeliveryConfig {

    /** Requests in flight at once on this replica. */
    @WithDefault("64")
    int maxInFlight();

    /**
     * Requests in flight at once on this replica to one destination (host:port), so one slow target cannot take every
     * slot and starve the rest.
     */
    @WithDefault("16")
    int maxInFlightPerDestination();

    /**
     * How long a new task whose destination is at its limit waits at intake for one of that destination's slots, while
     * the rest of its batch goes ahead, before it is queued in the database: enough for a responsive destination's
     * slots to turn over many times, little enough that a slow destination barely delays the next batch.
     */
    @WithDefault("100ms")
    Duration destinationSlotWait();

    /** How often the worker looks for due retries when nothing woke it earlier. */
    @WithDefault("1s")
    Duration pollInterval();

    /**
     * How long a claimed execution stays with its worker. Longer than connect plus read timeout, so a slow but
     * alive attempt is never taken over and sent twice.
     */
    @WithDefault("2m")
    Duration lease();

    /**
     * On shutdown (SIGTERM), how long in-flight attempts may take to finish and be recorded; whatever is still in
     * flight then is handed back (its lease cleared) for another replica to retry. Kept with the shutdown delay and
     * HTTP drain well inside Kubernetes' terminationGracePeriodSeconds (docs/operations.md).
     */
    @WithDefault("10s")
    Duration drainTimeout();

    @WithDefault("10s")
    Duration connectTimeout();

    @WithDefault("30s")
    Duration readTimeout();

    /** How much of a response body an attempt keeps. */
    @WithDefault("4096")
    int responseBodyLimit();

    Retry retry();

    Whitelist whitelist();

    Signing signing();

    Events events();

    Circuit circuit();

    Replay replay();

    RateLimit rateLimit();

    /** Requests per second per destination or rule (shared token buckets), and how a 429 lowers the rate. */
    interface RateLimit {

        /**
         * Where the rate of a destination without a configured limit starts when it first answers 429 (then halved):
         * its adaptive bucket, removed again once the rate has climbed back here.
         */
        @WithDefault("10")
        double adaptiveStart();

        /** The lowest rate 429s may halve a destination to: it keeps being tried, slowly. */
        @WithDefault("0.1")
        double minPerSecond();

        /** After a 429 the rate climbs back by this share of its ceiling per {@link #recoveryInterval()} without one. */
        @WithDefault("0.1")
        double recoveryStep();

        @WithDefault("10s")
        Duration recoveryInterval();
    }

    /**
     * A destination whose every attempt has failed for this long is disabled: its work is parked, not attempted, until
     * an operator enables it again (POST /api/v1/destinations/{destination}/enable). Svix's and Hook0's 5 days; zero
     * turns auto-disabling off.
     */
    @WithDefault("P5D")
    Duration autoDisableAfter();

    /** Bulk replay jobs (POST /api/v1/executions/replay), run by one replica at a time under a lease. */
    interface Replay {

        /** How often a replica looks for a replay job nobody runs (new, or its runner's lease ran out). */
        @WithDefault("1s")
        Duration pollInterval();

        /** How long a runner holds a job without renewing (each batch renews it); then another replica resumes it. */
        @WithDefault("30s")
        Duration lease();

        /** Jobs one replica runs at once (each at its own rate). */
        @WithDefault("4")
        int maxJobs();
    }

    /** The circuit breaker per organisation and destination (host:port), shared by all replicas through PostgreSQL. */
    interface Circuit {

        /** Consecutive failed attempts (connection errors, timeouts, 5xx) that open the circuit. */
        @WithDefault("10")
        int failureThreshold();

        /** How long an open circuit parks deliveries before one probe is let through. */
        @WithDefault("1m")
        Duration cooldown();
    }

    /** The outbox relay that publishes status changes to the execution-events topic. */
    interface Events {

        /** How often the relay looks for unpublished events. */
        @WithDefault("500ms")
        Duration pollInterval();

        /**
         * How often the destination-events relay looks for a disabled destination whose event is not yet published.
         * Disables are rare, and one in this replica wakes the relay at once; this only bounds how late another
         * replica's disable goes out if that replica died before publishing it.
         */
        @WithDefault("5s")
        Duration destinationPollInterval();

        /** How long a batch may wait for the broker's acknowledgement before the relay tries again later. */
        @WithDefault("30s")
        Duration publishTimeout();
    }

    /**
     * Where deliveries may go, as the Pact Broker defines it. Production defaults are strict; the {@code %test} and
     * {@code %local} profiles widen them for loopback targets (see docs/delivery.md).
     */
    interface Whitelist {

        /** URL schemes a request may use. */
        @WithDefault("https")
        List<String> schemes();

        /** HTTP methods a request may use. */
        @WithDefault("POST")
        List<String> methods();

        /**
         * Hosts a request may go to; empty means any public host. Entries: a hostname, {@code *.example.com} (exactly
         * one label), an IP, a CIDR range, or {@code /regex/}. Non-public addresses need a hostname, IP or CIDR entry
         * that names them.
         */
        Optional<List<String>> hosts();
    }

    interface Signing {

        /** The header carrying {@code sha256=<hex HMAC of the body>} for requests with a secret. */
        @WithDefault("X-Hookflow-Signature")
        String header();

        /**
         * Rotation: how long a key being replaced or retired keeps signing (next to its successor) before it is retired,
         * unless the request names its own overlap. Longer than receivers cache the published public keys.
         */
        @WithDefault("24h")
        Duration rotationOverlap();

        /**
         * How long a replica reuses an organisation's signing keys before reading them again: a key created or retired
         * on another replica takes effect here within this time (on this replica, at once).
         */
        @WithDefault("10s")
        Duration keyCacheTime();
    }

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
