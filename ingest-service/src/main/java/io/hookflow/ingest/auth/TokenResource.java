package io.hookflow.ingest.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.common.auth.AuthConfig;
import io.hookflow.common.auth.Caller;
import io.hookflow.common.auth.Tokens;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.error.ApiException;
import io.hookflow.ingest.body.WebhookBody;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/auth/tokens")
@Tag(name = "Tokens", description = "Short-lived tokens every Hookflow service verifies on its own")
public class TokenResource {

    /** The answer: the token, when it expires, and the organisation it acts for. */
    @RegisterForReflection
    public record IssuedToken(String token, Instant expiry, String orgId) {
    }

    private final Tokens tokens;
    private final AuthConfig config;
    private final WebhookBody body;
    private final Caller caller;
    private final CredentialPublisher publisher;

    TokenResource(Tokens tokens, AuthConfig config, WebhookBody body, Caller caller, CredentialPublisher publisher) {
        this.tokens = tokens;
        this.config = config;
        this.body = body;
        this.caller = caller;
        this.publisher = publisher;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue a token for the caller's organisation",
            description = "Authenticated with an API key or a token. Optional body {\"ttl\": seconds}, at most "
                    + "hookflow.auth.token-ttl (default 24 h). A token issued with a token never outlives it.")
    public Response issue(HttpHeaders headers, RoutingContext context) {
        byte[] raw = WebhookBody.raw(context);
        JsonNode json = raw.length == 0 ? null : body.parse(raw, headers.getMediaType());
        Duration ttl = config.tokenTtl();
        if (json != null && !json.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object {\"ttl\": seconds}");
        }
        JsonNode requested = json == null ? null : json.get("ttl");
        if (requested != null && !requested.isNull()) {
            if (!requested.canConvertToLong() || !requested.isIntegralNumber() || requested.asLong() < 1
                    || requested.asLong() > ttl.toSeconds()) {
                throw ApiException.invalid(List.of(new ApiError.Detail("ttl",
                        "must be a whole number of seconds from 1 to " + ttl.toSeconds())));
            }
            ttl = Duration.ofSeconds(requested.asLong());
        }
        Instant expiry = Instant.now().plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        if (caller.tokenExpiry() != null && caller.tokenExpiry().isBefore(expiry)) {
            expiry = caller.tokenExpiry();
        }
        String token = tokens.issue(caller.orgId(), caller.principal(), expiry);
        return Response.status(201).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new IssuedToken(token, expiry, caller.orgId())).build();
    }

    @POST
    @Path("/revoke")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Revoke a token before it expires",
            description = "Body {\"token\": \"eyJ...\"}. Any credential of the token's organisation may revoke it (a "
                    + "token may revoke itself); every service refuses it from then on. 204 also when the token has "
                    + "expired already; 404 for another organisation's token.")
    public Response revoke(HttpHeaders headers, RoutingContext context) {
        byte[] raw = WebhookBody.raw(context);
        JsonNode json = raw.length == 0 ? null : body.parse(raw, headers.getMediaType());
        JsonNode given = json == null || !json.isObject() ? null : json.get("token");
        if (given == null || !given.isTextual() || given.textValue().isBlank()) {
            throw ApiException.invalid(List.of(new ApiError.Detail("token", "required: the token to revoke")));
        }
        String token = given.textValue().strip();
        Tokens.Claims claims;
        try {
            claims = tokens.read(token);
        } catch (ApiException notAToken) {
            throw ApiException.invalid(List.of(new ApiError.Detail("token", "is not a token issued by Hookflow")));
        }
        if (!claims.orgId().equals(caller.orgId()) && !caller.bootstrap()) {
            throw ApiException.notFound("no such token in your organisation");
        }
        if (claims.expiry().isAfter(Instant.now())) {
            publisher.publishRevoked(claims);
        }
        return Response.noContent().build();
    }
}
