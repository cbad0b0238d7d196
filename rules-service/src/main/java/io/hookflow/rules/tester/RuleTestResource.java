package io.hookflow.rules.tester;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.common.auth.Caller;
import io.hookflow.rules.rule.YamlBodyReader;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The rule tester, under the rules' path as StackStorm has it ({@code POST /api/v1/rules/test}). */
@Path("/api/v1/rules")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Rules")
public class RuleTestResource {

    private final TestRule testRule;
    private final Caller caller;

    RuleTestResource(TestRule testRule, Caller caller) {
        this.testRule = testRule;
        this.caller = caller;
    }

    @POST
    @Path("test")
    @Consumes({MediaType.APPLICATION_JSON, YamlBodyReader.APPLICATION_YAML, "application/x-yaml", "text/yaml"})
    @Operation(summary = "Dry-run a rule against a trigger instance",
            description = "Body: {\"rule\": {...} or \"ruleRef\": \"pack.name\", \"triggerInstance\": {\"trigger\": "
                    + "\"...\", \"payload\": {...}} or \"triggerInstanceId\": \"...\"}. Answers whether it matches, each "
                    + "criterion's result and the request that would be sent (secrets masked); sends and records nothing.")
    public RuleTestResult test(JsonNode body) {
        return testRule.run(caller.orgId(), body);
    }
}
