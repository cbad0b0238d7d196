package io.hookflow.ingest.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;

/** Turns a raw request body into JSON, with errors that tell the sender what to fix. */
@ApplicationScoped
public class WebhookBody {

    private final ObjectMapper mapper;

    WebhookBody(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public JsonNode parse(byte[] body, MediaType contentType) {
        if (contentType == null || !MediaType.APPLICATION_JSON_TYPE.isCompatible(withoutParameters(contentType))) {
            throw new ApiException(415, "unsupported_media_type",
                    "send the webhook body as application/json (got " + (contentType == null ? "no Content-Type" : contentType) + ")");
        }
        if (body == null || body.length == 0) {
            throw ApiException.badRequest("the request body is empty; a JSON object is expected");
        }
        try {
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            var location = e.getLocation();
            throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage()
                    + (location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr()));
        } catch (IOException e) {
            throw ApiException.badRequest("unreadable body: " + e.getMessage());
        }
    }

    private static MediaType withoutParameters(MediaType type) {
        return new MediaType(type.getType(), type.getSubtype());
    }
}
