package io.hookflow.cli.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ErrorLineTest {

    @Test
    void shouldSayStatusErrorAndMessage() {
        assertEquals("Error: 404 not_found: no webhook with id 'x'",
                ErrorLine.of(404, "{\"error\": \"not_found\", \"message\": \"no webhook with id 'x'\", \"details\": []}"));
    }

    @Test
    void shouldListEveryValidationProblemInsteadOfTheSummary() {
        assertEquals("Error: 400 validation_failed: name: is required; trigger.type: is required",
                ErrorLine.of(400, """
                        {"error": "validation_failed", "message": "2 problems found; see details",
                         "details": [{"path": "name", "message": "is required"},
                                     {"path": "trigger.type", "message": "is required"}]}"""));
    }

    @Test
    void shouldKeepABodyThatIsNotOurErrorShapeOnOneShortLine() {
        assertEquals("Error: 502: Bad Gateway from the proxy", ErrorLine.of(502, "Bad Gateway\nfrom the proxy\n"));
        assertEquals("Error: 413", ErrorLine.of(413, ""));
        String long_ = "x".repeat(1000);
        assertEquals("Error: 500: " + "x".repeat(300) + "...", ErrorLine.of(500, long_));
    }

    @Test
    void shouldKeepAMultiLineMessageOnOneLine() {
        assertEquals("Error: 400 bad_request: malformed JSON: at line 1",
                ErrorLine.of(400, "{\"error\": \"bad_request\", \"message\": \"malformed JSON:\\nat line 1\"}"));
    }
}
