package io.hookflow.delivery.signing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.auth.Caller;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.error.ApiException;
import io.hookflow.common.error.ApiExceptionMappers;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/signing-keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Signing keys", description = "The organisation's keys for signing deliveries, and their rotation")
public class SigningKeyResource {

    private final SigningKeys keys;
    private final Caller caller;
    private final ObjectMapper mapper;

    SigningKeyResource(SigningKeys keys, Caller caller, ObjectMapper mapper) {
        this.keys = keys;
        this.caller = caller;
        this.mapper = mapper;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Create a signing key, active at once",
            description = "Optional body {\"algorithm\": \"ed25519\" (default) | \"hmac-sha256\"}. 201 with the key:"
                    + " an Ed25519 key shows its public key (whpk_...; also served at"
                    + " /.well-known/hookflow/signing-keys/{org}) and never its private key; an HMAC key shows its"
                    + " whsec_ secret in this answer only. Actions sign with the organisation's keys when their secret"
                    + " is \"signing-keys:all\" or \"signing-keys:<id>,<id>\".")
    public Response create(String body, HttpHeaders headers) {
        SigningAlgorithm algorithm = algorithm(parse(body, headers.getMediaType()));
        return Response.status(201).entity(keys.create(caller.orgId(), algorithm)).build();
    }

    @GET
    @Operation(summary = "The organisation's signing keys, newest first",
            description = "Every key with its status: active, retiring (still signs until expiresAt) or retired."
                    + " Private keys and HMAC secrets are never shown.")
    public KeyList list() {
        return new KeyList(keys.list(caller.orgId()));
    }

    @POST
    @Path("/{id}/retire")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Retire a signing key after an overlap",
            description = "The key keeps signing for overlapSeconds (0 to 2592000; default"
                    + " hookflow.delivery.signing.rotation-overlap, 24 h), then signs no more and leaves the"
                    + " well-known endpoint. Asking again can only bring the time closer. 404 for a key the"
                    + " organisation does not have; 409 for a key already retired.")
    public SigningKey retire(@PathParam("id") String id, @QueryParam("overlapSeconds") String overlapSeconds) {
        return keys.retire(caller.orgId(), id, overlap(overlapSeconds));
    }

    @POST
    @Path("/{id}/rotate")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Replace a signing key by a new one of the same algorithm",
            description = "The new key signs at once; the old one keeps signing beside it for overlapSeconds (default"
                    + " 24 h), then retires. 201 with the new key (an HMAC key's secret in this answer only);"
                    + " 404 for a key the organisation does not have; 409 for a key already retired.")
    public Response rotate(@PathParam("id") String id, @QueryParam("overlapSeconds") String overlapSeconds) {
        Duration overlap = overlap(overlapSeconds);
        return Response.status(201).entity(keys.rotate(caller.orgId(), id, overlap)).build();
    }

    private JsonNode parse(String body, MediaType type) {
        if (body == null || body.isBlank()) {
            return null;
        }
        if (type == null || !type.isCompatible(MediaType.APPLICATION_JSON_TYPE) || type.isWildcardSubtype()) {
            throw new ApiException(415, "unsupported_media_type", "send the body as application/json (got "
                    + (type == null ? "no Content-Type" : type) + ")");
        }
        JsonNode json;
        try {
            json = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(ApiExceptionMappers.describe(e));
        }
        if (json != null && !json.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object {\"algorithm\": \"ed25519\"}");
        }
        return json;
    }

    private static SigningAlgorithm algorithm(JsonNode json) {
        if (json == null) {
            return SigningAlgorithm.ED25519;
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("algorithm")) {
                throw ApiException.invalid(List.of(new ApiError.Detail(name, "unknown field; the only one is algorithm")));
            }
        }
        JsonNode given = json.get("algorithm");
        if (given == null || given.isNull()) {
            return SigningAlgorithm.ED25519;
        }
        return SigningAlgorithm.of(given.isTextual() ? given.textValue() : null).orElseThrow(() -> ApiException.invalid(
                List.of(new ApiError.Detail("algorithm", "must be \"ed25519\" or \"hmac-sha256\""))));
    }

    private static Duration overlap(String seconds) {
        if (seconds == null) {
            return null;
        }
        long value;
        try {
            value = Long.parseLong(seconds.strip());
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 0 || value > SigningKeys.MAX_OVERLAP.toSeconds()) {
            throw ApiException.invalid(List.of(new ApiError.Detail("overlapSeconds",
                    "must be a whole number of seconds from 0 to " + SigningKeys.MAX_OVERLAP.toSeconds())));
        }
        return Duration.ofSeconds(value);
    }

    @RegisterForReflection
    public record KeyList(List<SigningKey> items) {
    }
}
