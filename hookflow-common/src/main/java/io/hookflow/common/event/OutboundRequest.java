package io.hookflow.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Map;

/**
 * The HTTP request an action describes, fully rendered. The body is the exact text to send.
 *
 * @param timeoutSeconds per-rule read timeout; null means the delivery default
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record OutboundRequest(
        String method,
        String url,
        Map<String, String> headers,
        String body,
        String username,
        String password,
        String secret,
        Integer timeoutSeconds) {
}
