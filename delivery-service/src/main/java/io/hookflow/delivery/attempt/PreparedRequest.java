package io.hookflow.delivery.attempt;

import io.hookflow.delivery.http.Redaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.delivery.signing.RequestSigner;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The exact request an attempt sends: the action's request plus the headers delivery adds.
 *
 * @param maskedHeaders lower-case names of headers derived from a secret, masked wherever the request is stored
 * @param timeoutSeconds the action's read timeout, or null for the delivery default
 * @param connectTimeoutSeconds the action's connect timeout, or null for the delivery default
 * @param maskedValues the plaintext of datastore secrets in url, headers or body, masked wherever the request is stored
 */
public record PreparedRequest(String method, String url, Map<String, String> headers, String body,
                              Set<String> maskedHeaders, Integer timeoutSeconds, Integer connectTimeoutSeconds,
                              Set<String> maskedValues) {

    public PreparedRequest(String method, String url, Map<String, String> headers, String body,
                           Set<String> maskedHeaders, Integer timeoutSeconds) {
        this(method, url, headers, body, maskedHeaders, timeoutSeconds, null, Set.of());
    }

    /**
     * @throws IllegalArgumentException when the action's signing secret cannot be used
     */
    public static PreparedRequest of(OutboundRequest request, UUID executionId, RequestSigner signer, Instant now) {
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
        Set<String> masked = new TreeSet<>();
        if (request.secret() != null && !request.secret().isEmpty()) {
            Map<String, String> signature = signer.sign(request.secret(), executionId.toString(), now, request.body());
            // Ours replace any the action set by hand: a receiver must never see two conflicting signatures.
            signature.keySet().forEach(name -> headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name)));
            headers.putAll(signature);
            // The signatures are keyed by the secret; stored next to the body they would invite offline guessing.
            masked.add(signer.signatureHeader().toLowerCase(Locale.ROOT));
            masked.add(RequestSigner.WEBHOOK_SIGNATURE);
        }
        String method = request.method() == null ? "POST" : request.method();
        Set<String> maskedValues = request.sealedValues() == null ? Set.of()
                : Set.copyOf(request.sealedValues().values().stream().filter(value -> !value.isEmpty()).toList());
        return new PreparedRequest(method, request.url(), headers, request.body(), masked, request.timeoutSeconds(),
                request.connectTimeoutSeconds(), maskedValues);
    }

    /** The request as stored with the attempt: everything but the secrets. */
    public JsonNode redacted(ObjectMapper mapper) {
        ObjectNode node = mapper.createObjectNode();
        node.put("method", method);
        node.put("url", Redaction.url(masked(url)));
        Map<String, String> shown = new LinkedHashMap<>();
        Redaction.headers(headers, maskedHeaders).forEach((name, value) -> shown.put(name, masked(value)));
        node.set("headers", mapper.valueToTree(shown));
        if (body != null) {
            node.put("body", masked(body));
        }
        return node;
    }

    private String masked(String text) {
        if (text == null || maskedValues.isEmpty()) {
            return text;
        }
        String result = text;
        for (String value : maskedValues) {
            result = result.replace(value, Redaction.MASK);
        }
        return result;
    }
}
