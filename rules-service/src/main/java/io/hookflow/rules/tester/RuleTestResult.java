package io.hookflow.rules.tester;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.common.event.OutboundRequest;
import java.util.List;

/**
 * What a rule would do with a trigger instance: whether it matches, each criterion's verdict, and the request it would
 * send (secrets masked), or why it could not be rendered.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RuleTestResult(boolean matched, List<CriterionResult> criteria, OutboundRequest request, String error) {

    /** One criterion: the value found at its path and whether the operator held. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record CriterionResult(String path, String type, JsonNode pattern, JsonNode value, boolean matched) {
    }
}
