package io.hookflow.ingest.webhook;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;

/**
 * The request headers as rules see them: names lower-cased once (StackStorm's {@code headers_lower}), repeated headers
 * joined with ", " as HTTP allows, and credentials removed so they never travel downstream.
 */
public final class DispatchedHeaders {

    static final Set<String> CREDENTIALS = Set.of("st2-api-key", "x-auth-token", "authorization", "proxy-authorization",
            "cookie");

    private DispatchedHeaders() {
    }

    public static ObjectNode of(MultivaluedMap<String, String> requestHeaders) {
        TreeMap<String, String> sorted = new TreeMap<>();
        requestHeaders.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!CREDENTIALS.contains(lower)) {
                sorted.merge(lower, String.join(", ", values == null ? List.of() : values), (a, b) -> a + ", " + b);
            }
        });
        ObjectNode headers = JsonNodeFactory.instance.objectNode();
        sorted.forEach(headers::put);
        return headers;
    }
}
