package io.hookflow.rules.tester;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.error.ApiException;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.common.event.TriggerEvent;
import io.hookflow.rules.datastore.Datastore;
import io.hookflow.rules.template.TemplateContext;
import io.hookflow.rules.config.RulesConfig;
import io.hookflow.rules.criteria.Criteria;
import io.hookflow.rules.criteria.OperatorRegistry;
import io.hookflow.rules.index.CompiledRule;
import io.hookflow.rules.index.TriggerContext;
import io.hookflow.rules.instance.TriggerInstance;
import io.hookflow.rules.instance.TriggerInstanceRepository;
import io.hookflow.rules.rule.Rule;
import io.hookflow.rules.rule.RuleDefinition;
import io.hookflow.rules.rule.RuleSecrets;
import io.hookflow.rules.rule.RuleService;
import io.hookflow.rules.rule.RuleView;
import io.hookflow.rules.template.RenderFailedException;
import io.hookflow.rules.template.RenderBudget;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The rule tester: evaluates a rule (given whole, or by ref) against a trigger instance (given, or by id) exactly as
 * enforcement would, and answers what would be sent without sending or recording anything.
 */
@ApplicationScoped
public class TestRule {

    private final RuleService rules;
    private final TriggerInstanceRepository instances;
    private final RuleSecrets secrets;
    private final RulesConfig config;
    private final Datastore datastore;

    TestRule(RuleService rules, TriggerInstanceRepository instances, RuleSecrets secrets, RulesConfig config,
             Datastore datastore) {
        this.datastore = datastore;
        this.rules = rules;
        this.instances = instances;
        this.secrets = secrets;
        this.config = config;
    }

    public RuleTestResult run(String orgId, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("expected {\"rule\": {...} or \"ruleRef\": \"pack.name\", "
                    + "\"triggerInstance\": {\"trigger\": \"...\", \"payload\": {...}} or \"triggerInstanceId\": \"...\"}");
        }
        List<ApiError.Detail> problems = new ArrayList<>();
        boolean hasRule = body.hasNonNull("rule");
        boolean hasRef = body.hasNonNull("ruleRef");
        if (hasRule == hasRef) {
            problems.add(new ApiError.Detail("rule", "give exactly one of 'rule' (a whole rule) and 'ruleRef' (pack.name or id)"));
        } else if (hasRef && !body.get("ruleRef").isTextual()) {
            problems.add(new ApiError.Detail("ruleRef", "must be a string: pack.name or a rule id"));
        }
        boolean hasInstance = body.hasNonNull("triggerInstance");
        boolean hasInstanceId = body.hasNonNull("triggerInstanceId");
        if (hasInstance == hasInstanceId) {
            problems.add(new ApiError.Detail("triggerInstance",
                    "give exactly one of 'triggerInstance' ({trigger, payload}) and 'triggerInstanceId'"));
        } else if (hasInstance) {
            checkInstance(body.get("triggerInstance"), problems);
        } else if (!body.get("triggerInstanceId").isTextual()) {
            problems.add(new ApiError.Detail("triggerInstanceId", "must be a string"));
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        Rule rule = hasRule ? transientRule(orgId, body.get("rule")) : rules.get(orgId, body.get("ruleRef").textValue());
        TriggerEvent event = hasInstance ? eventOf(orgId, body.get("triggerInstance"))
                : instances.findForOrg(orgId, body.get("triggerInstanceId").textValue()).map(TriggerInstance::asEvent)
                        .orElseThrow(() -> ApiException.notFound("no trigger instance " + body.get("triggerInstanceId").textValue()));
        return evaluate(CompiledRule.of(rule, secrets), event);
    }

    /** Evaluates a compiled rule against one event; also used by "execute now". */
    public RuleTestResult evaluate(CompiledRule compiled, TriggerEvent event) {
        JsonNode trigger = TriggerContext.of(event);
        List<RuleTestResult.CriterionResult> results = new ArrayList<>();
        boolean allHold = true;
        for (Criteria.Criterion criterion : compiled.criteria().criteria()) {
            boolean holds = criterion.matches(trigger, trigger);
            allHold &= holds;
            results.add(new RuleTestResult.CriterionResult(criterion.key(), criterion.type(), criterion.pattern(),
                    criterion.path().resolve(trigger), holds));
        }
        String triggerType = compiled.rule().triggerType;
        if (!triggerType.equals(event.trigger())) {
            return new RuleTestResult(false, results, null, "the rule listens to trigger '" + triggerType
                    + "' but the instance is of trigger '" + event.trigger() + "'");
        }
        if (!compiled.listensTo(event)) {
            return new RuleTestResult(false, results, null, "the rule listens to trigger '" + triggerType
                    + "' with parameters " + describe(compiled.rule().triggerParameters)
                    + " but the instance's trigger has parameters " + describe(event.triggerParameters()));
        }
        if (!allHold) {
            return new RuleTestResult(false, results, null, null);
        }
        try {
            return new RuleTestResult(true, results, masked(compiled.render(
                    new TemplateContext(trigger, datastore.forRendering(event.orgId())), secrets::encrypt,
                    config.renderLimits())),
                    null);
        } catch (RenderFailedException | RenderBudget.TooLargeException e) {
            return new RuleTestResult(true, results, null, e.getMessage());
        }
    }

    /** StackStorm's identity of a trigger: its parameters must be the rule's, as enforcement's index requires. */
    private static String describe(JsonNode parameters) {
        return parameters == null || parameters.isNull() || parameters.isEmpty() ? "{} (none)" : parameters.toString();
    }

    static OutboundRequest masked(OutboundRequest request) {
        return new OutboundRequest(request.method(), request.url(), request.headers(), request.body(), request.username(),
                request.password() == null ? null : RuleView.MASK, request.secret() == null ? null : RuleView.MASK,
                request.timeoutSeconds(), request.connectTimeoutSeconds(), request.retry(), request.sealedValues(),
                request.rateLimit());
    }

    private static TriggerEvent eventOf(String orgId, JsonNode instance) {
        JsonNode payload = instance.hasNonNull("payload") ? instance.get("payload") : JsonNodeFactory.instance.objectNode();
        String source = instance.hasNonNull("source") ? instance.get("source").asText() : null;
        String trigger = instance.get("trigger").textValue();
        JsonNode parameters = instance.get("parameters");
        if ((parameters == null || parameters.isNull()) && TriggerEvent.WEBHOOK_TRIGGER.equals(trigger)
                && payload.path("url").isTextual()) {
            // A recorded webhook instance pasted as it was: its payload names the url it was received at.
            parameters = JsonNodeFactory.instance.objectNode().put("url", payload.get("url").textValue());
        }
        return TriggerEvent.of("test-" + UUID.randomUUID(), orgId, trigger,
                parameters == null || parameters.isNull() ? null : parameters, Instant.now(),
                source == null ? null : new TriggerEvent.Source(source, null), payload, 0);
    }

    private static void checkInstance(JsonNode instance, List<ApiError.Detail> problems) {
        if (!instance.isObject()) {
            problems.add(new ApiError.Detail("triggerInstance", "must be an object {trigger, payload}"));
            return;
        }
        JsonNode trigger = instance.get("trigger");
        if (trigger == null || !trigger.isTextual() || trigger.textValue().isBlank()) {
            problems.add(new ApiError.Detail("triggerInstance.trigger", "is required: the trigger type, e.g. core.st2.webhook"));
        }
        JsonNode parameters = instance.get("parameters");
        if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
            problems.add(new ApiError.Detail("triggerInstance.parameters", "must be an object, e.g. {\"url\": \"hook\"}"));
        }
        JsonNode source = instance.get("source");
        if (source != null && !source.isNull() && !source.isTextual()) {
            problems.add(new ApiError.Detail("triggerInstance.source", "must be a string such as \"st2\""));
        }
    }

    private static Rule transientRule(String orgId, JsonNode json) {
        RuleDefinition definition = RuleDefinition.parse(json, OperatorRegistry.standard());
        Rule rule = new Rule();
        rule.id = UUID.nameUUIDFromBytes(("test-rule/" + definition.pack() + "." + definition.name()).getBytes(
                java.nio.charset.StandardCharsets.UTF_8));
        rule.orgId = orgId;
        rule.pack = definition.pack();
        rule.name = definition.name();
        rule.description = definition.description();
        rule.enabled = definition.enabled();
        rule.orderingKey = definition.orderingKey();
        rule.triggerType = definition.triggerType();
        rule.triggerParameters = definition.triggerParameters();
        rule.criteria = definition.criteria();
        rule.actionRef = definition.actionRef();
        rule.actionParameters = definition.actionParameters();
        rule.createdAt = Instant.now();
        rule.updatedAt = rule.createdAt;
        return rule;
    }
}
