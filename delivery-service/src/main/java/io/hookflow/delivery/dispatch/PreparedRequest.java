package io.hookflow.delivery.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookflow.common.event.OutboundRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** The exact request an attempt sends: the action's request plus the headers delivery adds. */
public record PreparedRequest(String method, String url, Map<String, String> headers, String body) {

    public static PreparedRequest of(OutboundRequest request) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (request.headers() != null) {
            headers.putAll(request.headers());
        }
        boolean hasAuthorization = headers.keySet().stream().anyMatch(name -> name.equalsIgnoreCase("Authorization"));
        // An explicit Authorization header is the more specific wish; basic auth fills in only when there is none.
        if (request.username() != null && !hasAuthorization) {
            String credentials = request.username() + ":" + (request.password() == null ? "" : request.password());
            headers.put("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        String method = request.method() == null ? "POST" : request.method();
        return new PreparedRequest(method, request.url(), headers, request.body());
    }

    /** The request as stored with the attempt: everything but the secrets. */
    public JsonNode redacted(ObjectMapper mapper) {
        ObjectNode node = mapper.createObjectNode();
        node.put("method", method);
        node.put("url", url);
        node.set("headers", mapper.valueToTree(Redaction.headers(headers)));
        if (body != null) {
            node.put("body", body);
        }
        return node;
    }
}
