package io.hookflow.ingest.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.error.ApiException;
import java.util.ArrayList;
import java.util.List;

/** The body of {@code POST /api/v1/webhooks}; every field is optional. */
public record NewWebhook(String name, String description, String secret) {

    static final NewWebhook EMPTY = new NewWebhook(null, null, null);

    /** From the parsed body, naming every field that is not a string. */
    static NewWebhook from(JsonNode json) {
        if (!json.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object {\"name\", \"description\", \"secret\"}");
        }
        List<ApiError.Detail> problems = new ArrayList<>();
        String name = text(json, "name", problems);
        String description = text(json, "description", problems);
        String secret = text(json, "secret", problems);
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        return new NewWebhook(name, description, secret);
    }

    private static String text(JsonNode json, String field, List<ApiError.Detail> problems) {
        JsonNode value = json.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            problems.add(new ApiError.Detail(field, "must be a string"));
            return null;
        }
        return value.asText();
    }
}
