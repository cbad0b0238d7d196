package io.hookflow.rules.rule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookflow.common.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Stores rules for one organisation (refs are unique within it). Every change takes the next revision, publishes the
 * rule's new state to rule-changes and waits for the broker before committing: if the broker does not take it, the
 * change is rolled back and the caller gets a 503, so the topic never misses a change the API confirmed.
 */
@ApplicationScoped
public class RuleService {

    private final RuleRepository rules;
    private final RuleRevisions revisions;
    private final RuleChangePublisher changes;
    private final RuleSecrets secrets;
    private final Event<RulesChanged> rulesChanged;
    private final TransactionSynchronizationRegistry transactions;

    RuleService(RuleRepository rules, RuleRevisions revisions, RuleChangePublisher changes, RuleSecrets secrets,
                Event<RulesChanged> rulesChanged, TransactionSynchronizationRegistry transactions) {
        this.rules = rules;
        this.revisions = revisions;
        this.changes = changes;
        this.secrets = secrets;
        this.rulesChanged = rulesChanged;
        this.transactions = transactions;
    }

    @Transactional
    public Rule create(String orgId, RuleDefinition definition) {
        long revision = revisions.next();
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
        return changed(rule, revision);
    }

    @Transactional
    public Rule replace(String orgId, String refOrId, RuleDefinition definition) {
        long revision = revisions.next();
        Rule rule = getForUpdate(orgId, refOrId);
        boolean renamed = !rule.pack.equals(definition.pack()) || !rule.name.equals(definition.name());
        if (renamed && rules.refTaken(orgId, definition.pack(), definition.name())) {
            throw ApiException.conflict("a rule " + definition.pack() + "." + definition.name() + " exists already");
        }
        keepMaskedSecrets(rule, definition);
        apply(rule, definition);
        rule.version++;
        return changed(rule, revision);
    }

    @Transactional
    public Rule setEnabled(String orgId, String refOrId, boolean enabled) {
        long revision = revisions.next();
        Rule rule = getForUpdate(orgId, refOrId);
        if (rule.enabled != enabled) {
            rule.enabled = enabled;
            rule.version++;
            rule.updatedAt = Instant.now();
        }
        return changed(rule, revision);
    }

    @Transactional
    public void delete(String orgId, String refOrId) {
        revisions.next();
        Rule rule = getForUpdate(orgId, refOrId);
        rules.delete(rule);
        rules.flush();
        changes.publishDeleted(rule.id.toString());
        announceAfterCompletion();
    }

    public Rule get(String orgId, String refOrId) {
        return rules.findByRefOrId(orgId, refOrId)
                .orElseThrow(() -> ApiException.notFound("no rule " + refOrId));
    }

    /**
     * Encrypts secrets that are still plaintext (rules stored before encryption, or written by hand). Idempotent:
     * ciphertext is left alone. Answers how many rules changed.
     */
    @Transactional
    public int encryptPlaintextSecrets() {
        revisions.lock();
        int changed = 0;
        for (Rule rule : rules.listAll()) {
            JsonNode parameters = rule.actionParameters.deepCopy();
            if (secrets.encryptIn(parameters)) {
                rule.actionParameters = parameters;
                changed++;
            }
        }
        if (changed > 0) {
            announceAfterCompletion();
        }
        return changed;
    }

    /**
     * Republishes every rule, so that rule-changes catches up with any publish that was lost. Holds the revision lock so
     * that no change interleaves with the republish (a stale state can never be the last record of a key).
     */
    @Transactional
    public int republishAll() {
        long revision = revisions.lock();
        List<Rule> all = rules.listAll();
        for (Rule rule : all) {
            changes.publish(RuleChangePublisher.changeOf(rule, revision));
        }
        return all.size();
    }

    private Rule changed(Rule rule, long revision) {
        rules.flush();
        changes.publish(RuleChangePublisher.changeOf(rule, revision));
        announceAfterCompletion();
        return rule;
    }

    private Rule getForUpdate(String orgId, String refOrId) {
        Rule rule = get(orgId, refOrId);
        rules.getEntityManager().lock(rule, LockModeType.PESSIMISTIC_WRITE);
        return rule;
    }

    /** This replica learns of its own change at once; the others notice the revision within a poll interval. */
    private void announceAfterCompletion() {
        // Fired from the synchronization, so observers see the outcome of the commit or of the rollback.
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                rulesChanged.fire(new RulesChanged());
            }
        });
    }

    private void apply(Rule rule, RuleDefinition definition) {
        rule.pack = definition.pack();
        rule.name = definition.name();
        rule.description = definition.description();
        rule.enabled = definition.enabled();
        rule.mode = definition.mode();
        rule.orderingKey = definition.orderingKey();
        rule.rateLimitPerSecond = definition.rateLimit() == null ? null : definition.rateLimit().perSecond();
        rule.rateLimitBurst = definition.rateLimit() == null ? null : definition.rateLimit().burst();
        rule.triggerType = definition.triggerType();
        rule.triggerParameters = definition.triggerParameters();
        rule.criteria = definition.criteria();
        rule.actionRef = definition.actionRef();
        JsonNode parameters = definition.actionParameters().deepCopy();
        secrets.encryptIn(parameters);
        rule.actionParameters = parameters;
        rule.updatedAt = Instant.now();
    }

    /** A client that read a rule and sends it back unchanged sends masks: keep the secrets they stand for. */
    private static void keepMaskedSecrets(Rule stored, RuleDefinition replacement) {
        if (!(replacement.actionParameters() instanceof ObjectNode parameters)) {
            return;
        }
        for (String secret : RuleSecrets.FIELDS) {
            if (RuleView.MASK.equals(parameters.path(secret).asText(null)) && stored.actionParameters.hasNonNull(secret)) {
                parameters.set(secret, stored.actionParameters.get(secret));
            }
        }
    }
}
