package io.hookflow.delivery.dispatch;

import java.time.Duration;
import java.util.Map;

/**
 * What one HTTP exchange produced: a response (status, headers, start of the body), or the error that prevented one.
 */
public record HttpResult(Integer status, Map<String, String> headers, String body, String error, long durationMs) {

    public static HttpResult response(int status, Map<String, String> headers, String body, long durationMs) {
        return new HttpResult(status, headers, body, null, durationMs);
    }

    public static HttpResult error(String error, long durationMs) {
        return new HttpResult(null, Map.of(), null, error, durationMs);
    }

    public boolean succeeded() {
        return status != null && status >= 200 && status < 300;
    }

    /** Connection problems, timeouts, 5xx, 408 and 429 may pass; any other answer will not change by asking again. */
    public boolean retryable() {
        return status == null || status >= 500 || status == 408 || status == 429;
    }

    /** The target's Retry-After in seconds form, if it sent one. */
    public Duration retryAfter() {
        String value = headers.get("retry-after");
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return null; // HTTP-date form: fall back to our own schedule
        }
    }
}
