package io.hookflow.ingest.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WebhookIntakeMetricsTest {

    @Test
    void shouldNameTheReasonByTheAnswersErrorCodeAndElseByItsStatus() {
        assertEquals("accepted", WebhookIntakeMetrics.reasonFor(202, null, false));
        assertEquals("replayed", WebhookIntakeMetrics.reasonFor(202, null, true));
        assertEquals("invalid_signature", WebhookIntakeMetrics.reasonFor(401, "invalid_signature", false));
        assertEquals("payload_too_large", WebhookIntakeMetrics.reasonFor(413, null, false));
        assertEquals("unavailable", WebhookIntakeMetrics.reasonFor(503, null, false));
        assertEquals("server_error", WebhookIntakeMetrics.reasonFor(500, null, false));
    }

    @Test
    void shouldNeverTakeAnUnboundedValueAsTheReason() {
        // A code is one of ours (lower-case words); anything else falls back to the status: the label stays bounded.
        assertEquals("bad_request", WebhookIntakeMetrics.reasonFor(400, "Weird Code /with/path", false));
        assertEquals("client_error", WebhookIntakeMetrics.reasonFor(418, "x".repeat(100), false));
    }
}
