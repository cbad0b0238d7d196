package io.hookflow.common.auth;

import io.hookflow.common.error.ApiException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every API call carries an API key, StackStorm style: header {@code St2-Api-Key} or query parameter
 * {@code st2-api-key}. Health, metrics and OpenAPI live outside JAX-RS and stay open.
 */
public class ApiKeyAuthFilter {

    public static final String API_KEY_HEADER = "St2-Api-Key";
    public static final String API_KEY_QUERY = "st2-api-key";
    /**
     * Request property a service's earlier filter sets when the resource authenticates the request another way (a
     * webhook signature it verifies itself). A missing key then leaves the caller anonymous; a key that is sent is
     * still checked.
     */
    public static final String API_KEY_OPTIONAL = "hookflow.auth.api-key-optional";

    private final AuthConfig config;
    private final Caller caller;
    private final Optional<byte[]> bootstrapKeyDigest;

    ApiKeyAuthFilter(AuthConfig config, Caller caller) {
        this.config = config;
        this.caller = caller;
        this.bootstrapKeyDigest = config.bootstrapApiKey().filter(key -> !key.isBlank()).map(ApiKeyAuthFilter::sha256);
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public void authenticate(ContainerRequestContext request) {
        String key = request.getHeaderString(API_KEY_HEADER);
        if (key == null) {
            key = request.getUriInfo().getQueryParameters().getFirst(API_KEY_QUERY);
        }
        if (key == null || key.isBlank()) {
            if (Boolean.TRUE.equals(request.getProperty(API_KEY_OPTIONAL))) {
                return;
            }
            throw ApiException.unauthorized("missing API key: send it in the St2-Api-Key header or the st2-api-key query parameter");
        }
        // Compare digests in constant time so response timing reveals nothing about the key.
        if (bootstrapKeyDigest.isEmpty() || !MessageDigest.isEqual(bootstrapKeyDigest.get(), sha256(key))) {
            throw ApiException.unauthorized("invalid API key");
        }
        caller.authenticate(config.bootstrapOrgId(), "bootstrap");
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
