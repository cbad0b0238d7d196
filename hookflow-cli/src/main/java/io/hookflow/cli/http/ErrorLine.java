package io.hookflow.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * A refusal in one line: the HTTP status, the service's error code and its message, with every detail of a
 * validation failure inline, e.g. {@code Error: 400 validation_failed: name: is required; trigger.type: is required}.
 */
public final class ErrorLine {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int MAX_TEXT = 300;

    private ErrorLine() {
    }

    public static String of(int status, String body) {
        JsonNode json = parseQuietly(body);
        if (json != null && json.isObject() && (json.hasNonNull("error") || json.hasNonNull("message"))) {
            String code = json.path("error").asText("");
            String message = detailsOrMessage(json);
            return oneLine("Error: " + status + (code.isEmpty() ? "" : " " + code) + (message.isEmpty() ? "" : ": " + message));
        }
        String text = body == null ? "" : body.strip();
        if (text.length() > MAX_TEXT) {
            text = text.substring(0, MAX_TEXT) + "...";
        }
        return oneLine("Error: " + status + (text.isEmpty() ? "" : ": " + text));
    }

    /** The details say more than "2 problems found; see details", so they replace the message when present. */
    private static String detailsOrMessage(JsonNode json) {
        List<String> details = new ArrayList<>();
        for (JsonNode detail : json.path("details")) {
            String path = detail.path("path").asText("");
            String message = detail.path("message").asText("");
            details.add(path.isEmpty() ? message : path + ": " + message);
        }
        return details.isEmpty() ? json.path("message").asText("") : String.join("; ", details);
    }

    private static JsonNode parseQuietly(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readTree(body);
        } catch (Exception notJson) {
            return null;
        }
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n\\t]+", " ").strip();
    }
}
