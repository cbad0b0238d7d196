package io.hookflow.rules.execute;

import io.hookflow.common.auth.Caller;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Execute-now, under the rule's own path ({@code POST /api/v1/rules/{ref}/execute}). */
@Path("/api/v1/rules")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Rules")
public class ExecuteRuleResource {

    private final ExecuteRule executeRule;
    private final Caller caller;

    ExecuteRuleResource(ExecuteRule executeRule, Caller caller) {
        this.executeRule = executeRule;
        this.caller = caller;
    }

    @POST
    @Path("{refOrId}/execute")
    @Operation(summary = "Send the rule's request once, now",
            description = "Rendered from the trigger instance given as triggerInstance (of the rule's trigger; its "
                    + "criteria are not checked), else from the newest trigger instance the rule matches (or an empty "
                    + "payload), sent by delivery-service; answers delivery's result {request (redacted), response, "
                    + "error, durationMs}.")
    public Response execute(@PathParam("refOrId") String refOrId, @QueryParam("triggerInstance") String triggerInstance,
                            @HeaderParam("St2-Api-Key") String apiKey, @QueryParam("st2-api-key") String apiKeyQuery,
                            @HeaderParam("X-Auth-Token") String authToken) {
        // delivery-service authenticates the send with the caller's own credentials.
        String instance = triggerInstance == null || triggerInstance.isBlank() ? null : triggerInstance.trim();
        DeliveryClient.Answer answer = executeRule.run(caller.orgId(), refOrId, instance,
                apiKey != null ? apiKey : apiKeyQuery, authToken);
        return Response.status(answer.status()).type(MediaType.APPLICATION_JSON).entity(answer.body()).build();
    }
}
