package io.hookflow.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/** A 2xx answer: its status and its body exactly as the service sent it. */
public record ApiResponse(int status, String body) {

    /** The body as a JSON tree; an empty body (a 204) is a missing node. */
    public JsonNode json() {
        if (body == null || body.isBlank()) {
            return MissingNode.getInstance();
        }
        return Json.parse(body, "the service's answer");
    }
}
