package io.hookflow.delivery.testdelivery;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Map;

/**
 * What a test delivery sent and got back; nothing of it is stored.
 *
 * @param request  as sent, secrets and signatures masked
 * @param response the target's answer (body cut at 4 KiB), or null when there was none
 * @param error    why there was no answer (refused by the whitelists, timed out, ...), or null
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TestDeliveryResult(JsonNode request, Response response, String error, long durationMs) {

    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Response(int status, Map<String, String> headers, String body) {
    }
}
