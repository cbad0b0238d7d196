package io.hookflow.ingest.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.common.auth.Caller;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.error.ApiException;
import io.hookflow.ingest.body.WebhookBody;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/apikeys")
@Blocking
@Tag(name = "API keys", description = "Keys that authenticate callers of every Hookflow service")
public class ApiKeyResource {

    private final ApiKeyService keys;
    private final WebhookBody body;
    private final Caller caller;

    ApiKeyResource(ApiKeyService keys, WebhookBody body, Caller caller) {
        this.keys = keys;
        this.body = body;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an API key; the key is in this answer only",
            description = "Optional body {\"name\": ..., \"orgId\": ...}. The key belongs to the caller's organisation; "
                    + "only the bootstrap key may name another orgId. Every service accepts the key within a second.")
    public Response create(HttpHeaders headers, RoutingContext context) {
        byte[] raw = WebhookBody.raw(context);
        JsonNode json = raw.length == 0 ? null : body.parse(raw, headers.getMediaType());
        if (json != null && !json.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object {\"name\", \"orgId\"}");
        }
        ApiKeyView created = keys.create(caller, new ApiKeyService.NewApiKey(text(json, "name"), text(json, "orgId")));
        return Response.created(URI.create("/api/v1/apikeys/" + created.id())).entity(created).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List the organisation's API keys, masked")
    public List<ApiKeyView> list() {
        return keys.list(caller.orgId());
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Read an API key, masked")
    public ApiKeyView get(@PathParam("id") String id) {
        return keys.get(caller.orgId(), id).orElseThrow(() -> notFound(id));
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Enable or disable an API key: {\"enabled\": false}")
    public ApiKeyView update(@PathParam("id") String id, HttpHeaders headers, RoutingContext context) {
        JsonNode json = body.parse(WebhookBody.raw(context), headers.getMediaType());
        JsonNode enabled = json.path("enabled");
        if (!json.isObject() || !enabled.isBoolean()) {
            throw ApiException.invalid(List.of(new ApiError.Detail("enabled", "is required and must be true or false")));
        }
        return keys.setEnabled(caller.orgId(), caller.principal(), id, enabled.booleanValue())
                .orElseThrow(() -> notFound(id));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete an API key; every service refuses it within a second")
    public Response delete(@PathParam("id") String id) {
        if (!keys.delete(caller.orgId(), id)) {
            throw notFound(id);
        }
        return Response.noContent().build();
    }

    private static String text(JsonNode json, String field) {
        if (json == null || json.path(field).isMissingNode() || json.path(field).isNull()) {
            return null;
        }
        if (!json.path(field).isTextual()) {
            throw ApiException.invalid(List.of(new ApiError.Detail(field, "must be a string")));
        }
        return json.path(field).asText();
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("no API key with id '" + id + "'");
    }
}
