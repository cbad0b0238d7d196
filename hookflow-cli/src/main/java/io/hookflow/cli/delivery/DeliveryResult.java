package io.hookflow.cli.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.cli.output.Cells;
import io.hookflow.cli.output.Details;

/** A one-off send's outcome (test-delivery, rule execute): the request as sent, then the answer or the error. */
public final class DeliveryResult {

    private DeliveryResult() {
    }

    public static String render(JsonNode result) {
        JsonNode request = result.path("request");
        JsonNode response = result.path("response");
        Details details = new Details()
                .field("request", Cells.text(request.path("method")) + " " + Cells.text(request.path("url")))
                .field("request headers", Cells.text(request.path("headers")))
                .field("request body", Cells.text(request.path("body")));
        if (response.isObject()) {
            details.field("response", "HTTP " + Cells.text(response.path("status")))
                    .field("response headers", Cells.text(response.path("headers")))
                    .field("response body", Cells.text(response.path("body")));
        } else {
            details.field("response", "none");
        }
        return details.field("error", Cells.text(result.path("error")))
                .field("duration", Cells.text(result.path("durationMs")) + " ms")
                .render();
    }
}
