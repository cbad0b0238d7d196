package io.hookflow.rules.rule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.error.ApiException;
import io.hookflow.common.event.RuleChange;
import io.hookflow.common.event.Topics;
import io.hookflow.common.kafka.AcknowledgedProducer;
import io.hookflow.rules.config.RulesConfig;
import io.hookflow.rules.config.TopicSetup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes the state of each rule to the compacted topic {@code rule-changes} (key: rule id; a delete is a tombstone)
 * and waits for the broker's acknowledgement ({@link AcknowledgedProducer}), so that an API call that returned has been
 * seen by the broker.
 */
@ApplicationScoped
public class RuleChangePublisher {

    private static final Logger LOG = Logger.getLogger(RuleChangePublisher.class);

    private final ObjectMapper json;
    private final AcknowledgedProducer<String> writer;

    RuleChangePublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, RulesConfig config,
                        TopicSetup topics, ObjectMapper json) {
        this.json = json;
        this.writer = AcknowledgedProducer.ofStrings(bootstrapServers, "rules-rule-changes", config.ruleChangesAckTimeout())
                .creatingFirst(topics.topics());
    }

    public static RuleChange changeOf(Rule rule, long revision) {
        String webhookUrl = null;
        if (RuleDefinition.WEBHOOK_TRIGGER.equals(rule.triggerType) && rule.triggerParameters.path("url").isTextual()) {
            webhookUrl = io.hookflow.common.event.TriggerIdentity.normaliseWebhookUrl(rule.triggerParameters.get("url").textValue());
        }
        return new RuleChange(RuleChange.VERSION, rule.id.toString(), rule.orgId, rule.ref(), rule.enabled, rule.triggerType,
                webhookUrl, revision, rule.orderingKey == null ? null : Boolean.TRUE);
    }

    /** Publishes the rule's state and waits for the acknowledgement; 503 when the broker does not answer in time. */
    public void publish(RuleChange change) {
        try {
            send(change.ruleId(), json.writeValueAsString(change));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a RuleChange always serialises", e);
        }
    }

    /** Publishes a tombstone: the rule is gone. */
    public void publishDeleted(String ruleId) {
        send(ruleId, null);
    }

    private void send(String key, String value) {
        try {
            writer.send(Topics.RULE_CHANGES, key, value);
        } catch (AcknowledgedProducer.Unacknowledged e) {
            LOG.warnf("Could not publish the change of rule %s: %s", key, e.getMessage());
            throw new ApiException(503, "unavailable",
                    "the rule change could not be published to the broker; nothing was changed, try again");
        }
    }

    @PreDestroy
    void close() {
        writer.close();
    }
}
