package io.hookflow.delivery.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpResultTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    static HttpResult answer(int status, String retryAfter) {
        return HttpResult.response(status, Map.of("retry-after", retryAfter), "", 1);
    }

    @Test
    void shouldReadRetryAfterInSeconds() {
        assertEquals(Duration.ofSeconds(120), answer(503, " 120 ").retryAfter(NOW));
    }

    @Test
    void shouldReadRetryAfterAsAnHttpDate() {
        assertEquals(Duration.ofSeconds(90), answer(429, "Mon, 23 Nov 2026 12:01:30 GMT").retryAfter(NOW));
    }

    @Test
    void shouldTreatARetryAfterDateInThePastAsNow() {
        assertEquals(Duration.ZERO, answer(429, "Mon, 23 Nov 2026 11:00:00 GMT").retryAfter(NOW));
    }

    @Test
    void shouldIgnoreARetryAfterThatIsNeitherForm() {
        assertNull(answer(503, "soon").retryAfter(NOW));
        assertNull(HttpResult.response(503, Map.of(), "", 1).retryAfter(NOW));
    }

    @Test
    void shouldNeverRetryARefusedRequest() {
        assertFalse(HttpResult.refused("scheme 'http' is not allowed").retryable());
    }
}
