package io.hookflow.rules.datastore;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.common.auth.Caller;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Datastore", description = "StackStorm's key-value datastore: values and secrets rules read as st2kv.*")
public class KeyValueResource {

    private final KeyValueService service;
    private final KeyValueRepository keys;
    private final Caller caller;

    KeyValueResource(KeyValueService service, KeyValueRepository keys, Caller caller) {
        this.service = service;
        this.keys = keys;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "List keys", description = "The organisation's live keys, by scope, user and name; filtered by "
            + "scope (system, user), user and a name prefix. Secret values are masked.")
    public List<KeyValueView> list(@QueryParam("scope") String scope, @QueryParam("user") String user,
                                   @QueryParam("prefix") String prefix) {
        Scope wanted = scope == null ? null : KeyValueService.scopeOf(scope);
        String owner = wanted == Scope.USER ? KeyValueService.userOf(wanted, user, caller.principal()) : null;
        return keys.search(caller.orgId(), wanted, owner, prefix, Instant.now()).stream().map(KeyValueView::of).toList();
    }

    @GET
    @Path("{name}")
    @Operation(summary = "Get a key", description = "?scope=system (default) or user, with ?user= (default: the caller).")
    public KeyValueView get(@PathParam("name") String name, @QueryParam("scope") String scope,
                            @QueryParam("user") String user) {
        Scope wanted = KeyValueService.scopeOf(scope);
        return KeyValueView.of(service.get(caller.orgId(), wanted, KeyValueService.userOf(wanted, user, caller.principal()), name));
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a key", description = "Body {\"value\": \"…\", \"scope\": \"system|user\", \"user\": …, "
            + "\"secret\": false, \"ttl\": seconds}. A secret is stored encrypted and masked in every answer; a key "
            + "with a ttl disappears when it expires. Creates or replaces.")
    public Response set(@PathParam("name") String name, JsonNode body) {
        KeyValueService.Change change = service.parse(name, body, caller.principal());
        return Response.ok(KeyValueView.of(service.set(caller.orgId(), name, change))).build();
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Delete a key", description = "?scope=system (default) or user, with ?user= (default: the caller).")
    public Response delete(@PathParam("name") String name, @QueryParam("scope") String scope,
                           @QueryParam("user") String user) {
        Scope wanted = KeyValueService.scopeOf(scope);
        service.delete(caller.orgId(), wanted, KeyValueService.userOf(wanted, user, caller.principal()), name);
        return Response.noContent().build();
    }
}
