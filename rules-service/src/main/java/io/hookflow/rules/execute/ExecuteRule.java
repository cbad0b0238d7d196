package io.hookflow.rules.execute;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hookflow.common.error.ApiException;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.common.event.TriggerEvent;
import io.hookflow.rules.datastore.Datastore;
import io.hookflow.rules.template.TemplateContext;
import io.hookflow.rules.config.RulesConfig;
import io.hookflow.rules.index.CompiledRule;
import io.hookflow.rules.index.TriggerContext;
import io.hookflow.rules.instance.TriggerInstance;
import io.hookflow.rules.instance.TriggerInstanceRepository;
import io.hookflow.rules.rule.Rule;
import io.hookflow.rules.rule.RuleSecrets;
import io.hookflow.rules.rule.RuleService;
import io.hookflow.rules.template.MissingValueException;
import io.hookflow.rules.template.RenderBudget;
import io.hookflow.rules.template.RenderFailedException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;

/**
 * "Execute now" (the Pact Broker's "test a webhook"): renders the rule's request from the newest trigger instance the
 * rule matches, or from an empty placeholder payload when there is none, and has delivery-service send it once.
 */
@ApplicationScoped
public class ExecuteRule {

    /** How many recent instances of the trigger are tried for a match. */
    static final int RECENT_INSTANCES = 100;

    private final RuleService rules;
    private final TriggerInstanceRepository instances;
    private final RuleSecrets secrets;
    private final DeliveryClient delivery;
    private final RulesConfig config;
    private final Datastore datastore;

    ExecuteRule(RuleService rules, TriggerInstanceRepository instances, RuleSecrets secrets, DeliveryClient delivery,
                RulesConfig config, Datastore datastore) {
        this.datastore = datastore;
        this.rules = rules;
        this.instances = instances;
        this.secrets = secrets;
        this.delivery = delivery;
        this.config = config;
    }

    /**
     * With {@code triggerInstanceId}, renders from that instance, which must be of the rule's trigger (type and
     * parameters); its criteria are not checked, as the operator chose it (the rule tester shows whether they hold).
     * Without, from the newest recent instance the rule matches.
     */
    public DeliveryClient.Answer run(String orgId, String refOrId, String triggerInstanceId, String apiKey,
                                     String authToken) {
        Rule rule = rules.get(orgId, refOrId);
        CompiledRule compiled = CompiledRule.of(rule, secrets);
        TriggerEvent event = triggerInstanceId == null ? latestMatching(compiled, orgId)
                : given(compiled, orgId, triggerInstanceId);
        OutboundRequest request;
        try {
            request = compiled.render(new TemplateContext(TriggerContext.of(event), datastore.forRendering(orgId)),
                    secrets::encrypt, config.renderLimits());
        } catch (RenderBudget.TooLargeException e) {
            throw new ApiException(422, "request_too_large", "the request rendered from "
                    + (event.id() == null ? "the placeholder payload {}" : "trigger instance " + event.id()) + " is too large: "
                    + e.getMessage());
        } catch (MissingValueException e) {
            String from = event.id() == null ? "the placeholder payload {} (no recent trigger instance of "
                    + rule.triggerType + " matches the rule)" : "trigger instance " + event.id();
            throw new ApiException(422, "missing_values", "the request cannot be rendered from " + from + ": " + e.getMessage());
        } catch (RenderFailedException e) {
            throw new ApiException(422, "render_failed", "the request cannot be rendered from "
                    + (event.id() == null ? "the placeholder payload {}" : "trigger instance " + event.id()) + ": "
                    + e.getMessage());
        }
        return delivery.send(request, apiKey, authToken);
    }

    private TriggerEvent given(CompiledRule compiled, String orgId, String triggerInstanceId) {
        TriggerEvent event = instances.findForOrg(orgId, triggerInstanceId).map(TriggerInstance::asEvent)
                .orElseThrow(() -> ApiException.notFound("no trigger instance " + triggerInstanceId));
        // listensTo compares the parameters; the type is the rest of a trigger's identity.
        if (!compiled.rule().triggerType.equals(event.trigger()) || !compiled.listensTo(event)) {
            throw new ApiException(422, "trigger_mismatch", "trigger instance " + triggerInstanceId + " is of trigger "
                    + event.trigger() + (event.triggerParameters() == null ? "" : " " + event.triggerParameters())
                    + "; rule " + compiled.rule().ref() + " listens to " + compiled.rule().triggerType
                    + (compiled.rule().triggerParameters == null ? "" : " " + compiled.rule().triggerParameters));
        }
        return event;
    }

    private TriggerEvent latestMatching(CompiledRule compiled, String orgId) {
        for (TriggerInstance instance : instances.latest(orgId, compiled.rule().triggerType, RECENT_INSTANCES)) {
            TriggerEvent event = instance.asEvent();
            if (compiled.listensTo(event) && compiled.matches(TriggerContext.of(event))) {
                return event;
            }
        }
        // No id: the placeholder is no trigger instance.
        return TriggerEvent.of(null, orgId, compiled.rule().triggerType, compiled.rule().triggerParameters, Instant.now(),
                null, JsonNodeFactory.instance.objectNode(), 0);
    }
}
