package io.hookflow.rules.rule;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.common.auth.Caller;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.error.ApiException;
import io.hookflow.rules.criteria.OperatorRegistry;
import io.hookflow.rules.signing.SigningKeyCheck;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/rules")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Rules", description = "When a trigger fires and the criteria hold, run the action")
// The rule tester (tester/RuleTestResource) and execute-now (execute/ExecuteRuleResource) share this path.
public class RuleResource {

    private final RuleService service;
    private final RuleRepository rules;
    private final Caller caller;
    private final SigningKeyCheck signingKeys;

    RuleResource(RuleService service, RuleRepository rules, Caller caller, SigningKeyCheck signingKeys) {
        this.service = service;
        this.rules = rules;
        this.caller = caller;
        this.signingKeys = signingKeys;
    }

    @POST
    @Consumes({MediaType.APPLICATION_JSON, YamlBodyReader.APPLICATION_YAML, "application/x-yaml", "text/yaml"})
    @Operation(summary = "Create a rule", description = "StackStorm's rule shape: name, pack, enabled, mode (live, the "
            + "default, or shadow: matched, rendered and recorded with its request, never sent), trigger {type, "
            + "parameters}, criteria {path: {type, pattern}}, action {ref: core.http, parameters}, optionally "
            + "ordering {key: template}: executions with the same rendered key are delivered one at a time in "
            + "trigger-instance order (an ordered lane, docs/delivery.md), and optionally "
            + "rate_limit {per_second: 0.01-10000, burst: 1-10000} (requests per second for all the rule's executions, "
            + "across every delivery replica). As JSON or as "
            + "YAML (Content-Type: application/yaml). Every problem is "
            + "reported at once in a 400; an existing ref answers 409. A secret naming signing keys "
            + "(signing-keys:sk_...) is checked with delivery-service: a key the organisation does not have is a 400, "
            + "a delivery-service that cannot be reached a 503 (nothing saved).")
    public Response create(JsonNode body, @HeaderParam("St2-Api-Key") String apiKey,
                           @QueryParam("st2-api-key") String apiKeyQuery, @HeaderParam("X-Auth-Token") String authToken) {
        RuleDefinition definition = RuleDefinition.parse(body, OperatorRegistry.standard());
        requireKnownSigningKeys(definition, apiKey != null ? apiKey : apiKeyQuery, authToken);
        Rule rule = service.create(caller.orgId(), definition);
        return Response.created(URI.create("/api/v1/rules/" + rule.ref())).entity(RuleView.of(rule)).build();
    }

    @GET
    @Operation(summary = "List rules", description = "Optionally filtered by pack, trigger type, enabled and mode "
            + "(live or shadow).")
    public List<RuleView> list(@QueryParam("pack") String pack, @QueryParam("triggerType") String triggerType,
                               @QueryParam("enabled") String enabled, @QueryParam("mode") String mode) {
        Boolean isEnabled = parseEnabled(enabled);
        return rules.search(caller.orgId(), pack, triggerType, isEnabled, parseMode(mode)).stream().map(RuleView::of)
                .toList();
    }

    @GET
    @Path("{refOrId}")
    @Operation(summary = "Get a rule by ref (pack.name) or id")
    public RuleView get(@PathParam("refOrId") String refOrId) {
        return RuleView.of(service.get(caller.orgId(), refOrId));
    }

    @PUT
    @Path("{refOrId}")
    @Consumes({MediaType.APPLICATION_JSON, YamlBodyReader.APPLICATION_YAML, "application/x-yaml", "text/yaml"})
    @Operation(summary = "Replace a rule", description = "Masked secrets sent back unchanged keep their stored value;"
            + " named signing keys are checked as at create.")
    public RuleView replace(@PathParam("refOrId") String refOrId, JsonNode body,
                            @HeaderParam("St2-Api-Key") String apiKey, @QueryParam("st2-api-key") String apiKeyQuery,
                            @HeaderParam("X-Auth-Token") String authToken) {
        RuleDefinition definition = RuleDefinition.parse(body, OperatorRegistry.standard());
        requireKnownSigningKeys(definition, apiKey != null ? apiKey : apiKeyQuery, authToken);
        return RuleView.of(service.replace(caller.orgId(), refOrId, definition));
    }

    /**
     * Before the transaction: delivery-service is asked (with the caller's own credentials) only when the secret names
     * keys. A masked secret sent back unchanged was checked when it was saved.
     */
    private void requireKnownSigningKeys(RuleDefinition definition, String apiKey, String authToken) {
        JsonNode secret = definition.actionParameters() == null ? null : definition.actionParameters().get("secret");
        if (secret != null && secret.isTextual()) {
            signingKeys.requireKnown(secret.textValue(), "action.parameters.secret", apiKey, authToken);
        }
    }

    @POST
    @Path("{refOrId}/enable")
    @Operation(summary = "Enable a rule")
    public RuleView enable(@PathParam("refOrId") String refOrId) {
        return RuleView.of(service.setEnabled(caller.orgId(), refOrId, true));
    }

    @POST
    @Path("{refOrId}/disable")
    @Operation(summary = "Disable a rule")
    public RuleView disable(@PathParam("refOrId") String refOrId) {
        return RuleView.of(service.setEnabled(caller.orgId(), refOrId, false));
    }

    @DELETE
    @Path("{refOrId}")
    @Operation(summary = "Delete a rule")
    public Response delete(@PathParam("refOrId") String refOrId) {
        service.delete(caller.orgId(), refOrId);
        return Response.noContent().build();
    }

    private static String parseMode(String mode) {
        if (mode == null || mode.isBlank()) {
            return null;
        }
        String value = mode.trim();
        if (!value.equals(Rule.LIVE) && !value.equals(Rule.SHADOW)) {
            throw ApiException.invalid(List.of(new ApiError.Detail("mode", "must be live or shadow")));
        }
        return value;
    }

    private static Boolean parseEnabled(String enabled) {
        if (enabled == null || enabled.isBlank()) {
            return null;
        }
        return switch (enabled.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.invalid(List.of(new ApiError.Detail("enabled", "must be true or false")));
        };
    }
}
