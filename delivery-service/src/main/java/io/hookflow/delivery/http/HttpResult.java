package io.hookflow.delivery.http;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * What one HTTP exchange produced: a response (status, headers, start of the body), or the error that prevented one.
 *
 * @param refused the request was never sent because configuration forbids it; asking again cannot help
 */
public record HttpResult(Integer status, Map<String, String> headers, String body, String error, long durationMs,
                         boolean refused) {

    public static HttpResult response(int status, Map<String, String> headers, String body, long durationMs) {
        return new HttpResult(status, headers, body, null, durationMs, false);
    }

    public static HttpResult error(String error, long durationMs) {
        return new HttpResult(null, Map.of(), null, error, durationMs, false);
    }

    public static HttpResult refused(String reason) {
        return new HttpResult(null, Map.of(), null, "refused: " + reason, 0, true);
    }

    public boolean succeeded() {
        return status != null && status >= 200 && status < 300;
    }

    /** Connection problems, timeouts, 5xx, 408 and 429 may pass; any other answer will not change by asking again. */
    public boolean retryable() {
        return !refused && (status == null || status >= 500 || status == 408 || status == 429);
    }

    /** The target's Retry-After, in seconds or HTTP-date form (RFC 9110), as a delay from now; null if absent or bad. */
    public Duration retryAfter(Instant now) {
        String value = headers.get("retry-after");
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.trim();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(trimmed)));
        } catch (NumberFormatException notSeconds) {
            try {
                // RFC 1123 is the preferred HTTP-date form; a date in the past means "now".
                Instant when = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration delay = Duration.between(now, when);
                return delay.isNegative() ? Duration.ZERO : delay;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }
}
