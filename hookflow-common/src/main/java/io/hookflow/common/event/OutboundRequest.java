package io.hookflow.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;
import java.util.Map;

/**
 * The HTTP request an action describes, fully rendered. The body is the exact text to send.
 *
 * <p>{@code password} and {@code secret} travel as ciphertext ({@code enc:v1:...}, see
 * {@link io.hookflow.common.crypto.SecretCipher}); delivery-service decrypts them just before sending, so neither the
 * rules table nor the Kafka topic holds them in the clear.
 *
 * <p>Datastore secrets a template used ({@code st2kv.system.x | decrypt_kv}) travel the same way: the rendered url,
 * header values and body hold a random placeholder per secret ({@link #SEALED_PREFIX}...), and {@code sealedValues}
 * maps each placeholder to its ciphertext. delivery-service replaces the placeholders with the plaintext in memory,
 * just before sending, and masks the plaintext wherever the attempt is recorded.
 *
 * @param timeoutSeconds        per-rule read timeout; null means the delivery default
 * @param connectTimeoutSeconds per-rule connect timeout; null means the delivery default
 * @param retry                 per-rule retry policy; null means the delivery default
 * @param sealedValues          placeholder -> ciphertext of each datastore secret in the request; null when none
 * @param rateLimit             the rule's own rate limit (its rule-level {@code rate_limit}); null when it has none
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record OutboundRequest(
        String method,
        String url,
        Map<String, String> headers,
        String body,
        String username,
        String password,
        String secret,
        Integer timeoutSeconds,
        Integer connectTimeoutSeconds,
        RetryOverride retry,
        Map<String, String> sealedValues,
        RateLimit rateLimit) {

    /** How every placeholder of a sealed value begins; the rest is random, so no payload can forge one by accident. */
    public static final String SEALED_PREFIX = "hookflow-sealed-";

    /**
     * The longest read timeout a rule may ask for. rules-service refuses a rule beyond any bound here; delivery-service
     * clamps what it receives to the same bounds, so both services hold one policy.
     */
    public static final int MAX_TIMEOUT_SECONDS = 300;
    /** The longest connect timeout a rule may ask for: beyond it a target is down, not slow. */
    public static final int MAX_CONNECT_TIMEOUT_SECONDS = 60;

    public OutboundRequest(String method, String url, Map<String, String> headers, String body, String username,
            String password, String secret, Integer timeoutSeconds) {
        this(method, url, headers, body, username, password, secret, timeoutSeconds, null, null, null);
    }

    public OutboundRequest(String method, String url, Map<String, String> headers, String body, String username,
            String password, String secret, Integer timeoutSeconds, Integer connectTimeoutSeconds, RetryOverride retry) {
        this(method, url, headers, body, username, password, secret, timeoutSeconds, connectTimeoutSeconds, retry, null);
    }

    public OutboundRequest(String method, String url, Map<String, String> headers, String body, String username,
            String password, String secret, Integer timeoutSeconds, Integer connectTimeoutSeconds, RetryOverride retry,
            Map<String, String> sealedValues) {
        this(method, url, headers, body, username, password, secret, timeoutSeconds, connectTimeoutSeconds, retry,
                sealedValues, null);
    }

    /** The same request under the rule's rate limit (null: none). */
    public OutboundRequest withRateLimit(RateLimit limit) {
        return new OutboundRequest(method, url, headers, body, username, password, secret, timeoutSeconds,
                connectTimeoutSeconds, retry, sealedValues, limit);
    }

    /**
     * Without the request's credentials, headers, body or query: a request (or a task holding one) that ends up in a log
     * line must not put a password, signing secret or token there.
     */
    @Override
    public String toString() {
        String where = url == null ? null : url.replaceFirst("[?#].*$", "").replaceFirst("//[^/@]*@", "//");
        return "OutboundRequest[method=" + method + ", url=" + where + ", credentials and content not shown]";
    }

    /**
     * A rule's own retry policy.
     *
     * @param maxAttempts     attempts in total, the first included; null keeps the delivery default
     * @param scheduleSeconds delay before the 2nd, 3rd, ... attempt (the last entry repeats); null keeps the default
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RetryOverride(Integer maxAttempts, List<Integer> scheduleSeconds) {

        /** Attempts in total a rule may ask for: enough for a day of patience, never an endless loop. */
        public static final int MAX_ATTEMPTS = 20;
        /** The shortest delay between attempts: never a hot loop. */
        public static final int MIN_DELAY_SECONDS = 1;
        /** The longest delay between attempts. */
        public static final int MAX_DELAY_SECONDS = 24 * 60 * 60;
    }

    /**
     * A rule's rate limit: requests per second for all of the rule's executions together, across every replica (a token
     * bucket in delivery-service's database keyed by the rule id). A destination's own limit applies as well; the
     * stricter one wins.
     *
     * @param perSecond requests per second, {@link #MIN_PER_SECOND}..{@link #MAX_PER_SECOND}
     * @param burst     requests that may go at once after a quiet spell; null means one second's worth
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RateLimit(Double perSecond, Integer burst) {

        /** One request per 100 s at the slowest: slower is a schedule, not a rate. */
        public static final double MIN_PER_SECOND = 0.01;
        public static final double MAX_PER_SECOND = 10_000;
        public static final int MAX_BURST = 10_000;
    }
}
