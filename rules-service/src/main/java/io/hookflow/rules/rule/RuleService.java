package io.hookflow.rules.rule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookflow.common.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.UUID;

/** Stores rules for one organisation; refs are unique within it. */
@ApplicationScoped
public class RuleService {

    private final RuleRepository rules;

    RuleService(RuleRepository rules) {
        this.rules = rules;
    }

    @Transactional
    public Rule create(String orgId, RuleDefinition definition) {
        if (rules.refTaken(orgId, definition.pack(), definition.name())) {
            throw ApiException.conflict("a rule " + definition.pack() + "." + definition.name()
                    + " exists already; replace it with PUT /api/v1/rules/" + definition.pack() + "." + definition.name());
        }
        Rule rule = new Rule();
        rule.id = UUID.randomUUID();
        rule.orgId = orgId;
        rule.createdAt = Instant.now();
        rule.version = 0;
        apply(rule, definition);
        rules.persist(rule);
        return rule;
    }

    @Transactional
    public Rule replace(String orgId, String refOrId, RuleDefinition definition) {
        Rule rule = get(orgId, refOrId);
        boolean renamed = !rule.pack.equals(definition.pack()) || !rule.name.equals(definition.name());
        if (renamed && rules.refTaken(orgId, definition.pack(), definition.name())) {
            throw ApiException.conflict("a rule " + definition.pack() + "." + definition.name() + " exists already");
        }
        keepMaskedSecrets(rule, definition);
        apply(rule, definition);
        rule.version++;
        return rule;
    }

    @Transactional
    public Rule setEnabled(String orgId, String refOrId, boolean enabled) {
        Rule rule = get(orgId, refOrId);
        if (rule.enabled != enabled) {
            rule.enabled = enabled;
            rule.version++;
            rule.updatedAt = Instant.now();
        }
        return rule;
    }

    @Transactional
    public void delete(String orgId, String refOrId) {
        rules.delete(get(orgId, refOrId));
    }

    public Rule get(String orgId, String refOrId) {
        return rules.findByRefOrId(orgId, refOrId)
                .orElseThrow(() -> ApiException.notFound("no rule " + refOrId));
    }

    private static void apply(Rule rule, RuleDefinition definition) {
        rule.pack = definition.pack();
        rule.name = definition.name();
        rule.description = definition.description();
        rule.enabled = definition.enabled();
        rule.triggerType = definition.triggerType();
        rule.triggerParameters = definition.triggerParameters();
        rule.criteria = definition.criteria();
        rule.actionRef = definition.actionRef();
        rule.actionParameters = definition.actionParameters();
        rule.updatedAt = Instant.now();
    }

    /** A client that read a rule and sends it back unchanged sends masks: keep the secrets they stand for. */
    private static void keepMaskedSecrets(Rule stored, RuleDefinition replacement) {
        if (!(replacement.actionParameters() instanceof ObjectNode parameters)) {
            return;
        }
        for (String secret : new String[] {"password", "secret"}) {
            if (RuleView.MASK.equals(parameters.path(secret).asText(null)) && stored.actionParameters.hasNonNull(secret)) {
                parameters.set(secret, stored.actionParameters.get(secret));
            }
        }
    }
}
