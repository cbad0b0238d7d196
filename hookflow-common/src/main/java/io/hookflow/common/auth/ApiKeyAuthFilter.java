package io.hookflow.common.auth;

import io.hookflow.common.error.ApiException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every API call carries an API key, StackStorm style (header {@code St2-Api-Key} or query parameter
 * {@code st2-api-key}), or a token (header {@code X-Auth-Token} or query parameter {@code x-auth-token}). Keys are the
 * bootstrap key from configuration or any enabled key of the {@code api-keys} topic ({@link ApiKeyRegistry}); tokens
 * are verified locally ({@link Tokens}). Health, metrics and OpenAPI live outside JAX-RS and stay open.
 */
public class ApiKeyAuthFilter {

    public static final String API_KEY_HEADER = "St2-Api-Key";
    public static final String API_KEY_QUERY = "st2-api-key";
    public static final String TOKEN_HEADER = "X-Auth-Token";
    public static final String TOKEN_QUERY = "x-auth-token";
    public static final String BOOTSTRAP_PRINCIPAL = "bootstrap";
    public static final String API_KEY_PRINCIPAL_PREFIX = "apikey:";
    /**
     * Request property a service's earlier filter sets when the resource authenticates the request another way (a
     * webhook signature it verifies itself). Missing credentials then leave the caller anonymous; credentials that are
     * sent are still checked.
     */
    public static final String API_KEY_OPTIONAL = "hookflow.auth.api-key-optional";

    private final AuthConfig config;
    private final Caller caller;
    private final ApiKeyRegistry keys;
    private final Tokens tokens;
    private final TokenRevocations revocations;
    private final Optional<byte[]> bootstrapKeyDigest;

    ApiKeyAuthFilter(AuthConfig config, Caller caller, ApiKeyRegistry keys, Tokens tokens,
                     TokenRevocations revocations) {
        this.config = config;
        this.caller = caller;
        this.keys = keys;
        this.tokens = tokens;
        this.revocations = revocations;
        this.bootstrapKeyDigest = config.bootstrapApiKey().filter(key -> !key.isBlank()).map(ApiKeyRegistry::sha256);
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public void authenticate(ContainerRequestContext request) {
        String key = credential(request, API_KEY_HEADER, API_KEY_QUERY);
        if (key != null) {
            authenticateKey(key);
            return;
        }
        String token = credential(request, TOKEN_HEADER, TOKEN_QUERY);
        if (token != null) {
            authenticateToken(token);
            return;
        }
        if (Boolean.TRUE.equals(request.getProperty(API_KEY_OPTIONAL))) {
            return;
        }
        throw ApiException.unauthorized("missing API key: send it in the St2-Api-Key header or the st2-api-key query "
                + "parameter, or send a token in the X-Auth-Token header or the x-auth-token query parameter")
                .because("missing_credentials");
    }

    private void authenticateKey(String key) {
        // Compare digests in constant time so response timing reveals nothing about the key.
        if (bootstrapKeyDigest.isPresent() && MessageDigest.isEqual(bootstrapKeyDigest.get(), ApiKeyRegistry.sha256(key))) {
            caller.authenticate(config.bootstrapOrgId(), BOOTSTRAP_PRINCIPAL, true, null);
            return;
        }
        ApiKeyRegistry.Entry entry = keys.findEnabled(key).orElseThrow(() -> ApiException.unauthorized("invalid API key")
                .because("invalid_api_key"));
        caller.authenticate(entry.orgId(), API_KEY_PRINCIPAL_PREFIX + entry.id(), false, null);
    }

    private void authenticateToken(String token) {
        Instant now = Instant.now();
        Tokens.Claims claims;
        try {
            claims = tokens.verify(token, now);
        } catch (ApiException e) {
            throw e.because("invalid_token");
        }
        if (revocations.isRevoked(claims, now)) {
            throw ApiException.unauthorized("the token was revoked; request a new one").because("invalid_token");
        }
        String principal = claims.principal();
        // A token dies with the key that issued it, once this replica has read the key's current state.
        if (principal.startsWith(API_KEY_PRINCIPAL_PREFIX) && keys.caughtUp()) {
            String keyId = principal.substring(API_KEY_PRINCIPAL_PREFIX.length());
            boolean active = keys.find(keyId).map(ApiKeyRegistry.Entry::enabled).orElse(false);
            if (!active) {
                throw ApiException.unauthorized("the API key that issued this token is disabled or deleted")
                        .because("invalid_token");
            }
        }
        caller.authenticate(claims.orgId(), principal, BOOTSTRAP_PRINCIPAL.equals(principal), claims.expiry());
    }

    private static String credential(ContainerRequestContext request, String header, String query) {
        String value = request.getHeaderString(header);
        if (value == null) {
            value = request.getUriInfo().getQueryParameters().getFirst(query);
        }
        return value == null || value.isBlank() ? null : value.strip();
    }
}
