package io.hookflow.rules.index;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.common.error.ApiError;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.common.event.TriggerEvent;
import io.hookflow.common.event.TriggerIdentity;
import io.hookflow.rules.action.HttpAction;
import io.hookflow.rules.criteria.Criteria;
import io.hookflow.rules.criteria.OperatorRegistry;
import io.hookflow.rules.rule.Rule;
import io.hookflow.rules.rule.RuleSecrets;
import io.hookflow.rules.template.KeyValues;
import io.hookflow.rules.template.RenderBudget;
import io.hookflow.rules.template.RenderFailedException;
import io.hookflow.rules.rule.RuleDefinition;
import io.hookflow.rules.template.RuleTemplate;
import io.hookflow.rules.template.TemplateContext;
import io.hookflow.rules.template.Templates;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * A rule ready to evaluate: criteria compiled once per rule version (regexes included), and the equality criterion the
 * index may file it under.
 *
 * @param passwordTemplate the decrypted password when it is itself a template (rendered per event, then encrypted
 *                         again); null when the stored ciphertext travels as it is
 * @param orderingTemplate the ordering key ({@code ordering.key}); null for an unordered rule
 */
public record CompiledRule(Rule rule, Criteria criteria, Criteria.Criterion indexedEquality,
                           RuleTemplate passwordTemplate, RuleTemplate orderingTemplate) {

    public static CompiledRule of(Rule rule, RuleSecrets secrets) {
        List<ApiError.Detail> problems = new ArrayList<>();
        Criteria criteria = Criteria.compile(rule.criteria, OperatorRegistry.standard(), "criteria", problems);
        if (!problems.isEmpty()) {
            // Stored rules were validated on save; a problem here would mean the operator set shrank since.
            throw new IllegalStateException("rule " + rule.ref() + " no longer compiles: " + problems);
        }
        RuleTemplate passwordTemplate = null;
        JsonNode password = rule.actionParameters == null ? null : rule.actionParameters.get("password");
        if (password != null && password.isTextual() && secrets != null) {
            String plain = secrets.decrypt(password.textValue());
            if (Templates.isTemplate(plain)) {
                passwordTemplate = Templates.compile(plain);
            }
        }
        RuleTemplate orderingTemplate = rule.orderingKey == null ? null : Templates.cached(rule.orderingKey);
        return new CompiledRule(rule, criteria, equalityOf(criteria), passwordTemplate, orderingTemplate);
    }

    /** The first {@code equals} criterion with a constant scalar pattern: events whose value differs cannot match. */
    private static Criteria.Criterion equalityOf(Criteria criteria) {
        for (Criteria.Criterion criterion : criteria.criteria()) {
            String type = criterion.type().toLowerCase(Locale.ROOT);
            if ((type.equals("equals") || type.equals("eq")) && criterion.patternTemplate() == null
                    && EqualityKey.of(criterion.pattern()) != null) {
                return criterion;
            }
        }
        return null;
    }

    public boolean matches(JsonNode trigger) {
        return criteria.matches(trigger);
    }

    /**
     * The request for one trigger instance, without a key-value datastore.
     *
     * @param seal   encrypts a rendered password
     * @param limits what the rendering may spend (hookflow.rules.max-task-size, max-render-time, max-loop-iterations)
     * @throws io.hookflow.rules.template.MissingValueException when a template needs a value the instance lacks
     * @throws io.hookflow.rules.template.RenderFailedException when a template fails otherwise or runs out of time
     * @throws RenderBudget.TooLargeException                   when the request outgrows its text limit
     */
    public OutboundRequest render(JsonNode trigger, UnaryOperator<String> seal, RenderBudget.Limits limits) {
        return render(new TemplateContext(trigger, KeyValues.NONE), seal, limits);
    }

    /** As {@link #render(JsonNode, UnaryOperator, RenderBudget.Limits)}, templates reading {@code context}. */
    public OutboundRequest render(TemplateContext context, UnaryOperator<String> seal, RenderBudget.Limits limits) {
        RenderBudget budget = limits.start();
        // The rule's own rate limit travels with each task: delivery-service keeps its bucket, keyed by the rule id.
        OutboundRequest request = HttpAction.render(rule.actionParameters, context, budget).withRateLimit(rule.rateLimit());
        if (passwordTemplate != null) {
            // The password is sealed whole: a datastore secret in it is opened here and encrypted with the rest.
            request = HttpAction.withPassword(request,
                    seal.apply(context.keyValues().opened(passwordTemplate.render(context, budget))));
        }
        return request;
    }

    /**
     * The lane of this rule's task for one trigger instance: {@code <rule id>:<rendered ordering key>}, or null for an
     * unordered rule. The rule id keeps two rules' lanes apart even when their keys render alike.
     *
     * @throws RenderFailedException when the key cannot be rendered, or renders longer than
     *                               {@link RuleDefinition#MAX_ORDERING_KEY}: that enforcement fails, as for any template
     */
    public String lane(TemplateContext context, RenderBudget.Limits limits) {
        if (orderingTemplate == null) {
            return null;
        }
        String key = orderingTemplate.render(context, limits.start());
        if (key.length() > RuleDefinition.MAX_ORDERING_KEY) {
            throw new RenderFailedException("the ordering key renders to " + key.length()
                    + " characters, above " + RuleDefinition.MAX_ORDERING_KEY);
        }
        return rule.id + ":" + key;
    }

    /** Whether the rule's trigger, type and parameters, is the event's: otherwise it never fires for it. */
    public boolean listensTo(TriggerEvent event) {
        return TriggerIdentity.parametersKey(rule.triggerType, rule.triggerParameters)
                .equals(TriggerIdentity.parametersKey(event.trigger(), event.triggerParameters()));
    }
}
