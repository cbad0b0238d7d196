package io.hookflow.rules.rule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.error.ApiException;
import io.hookflow.common.event.RuleChange;
import io.hookflow.common.event.Topics;
import io.hookflow.rules.config.RulesConfig;
import io.hookflow.rules.config.TopicSetup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes the state of each rule to the compacted topic {@code rule-changes} (key: rule id; a delete is a tombstone)
 * and waits for the broker's acknowledgement, so that an API call that returned has been seen by the broker. A plain
 * producer rather than a messaging channel, because a channel cannot send a tombstone or be awaited per record simply.
 */
@ApplicationScoped
public class RuleChangePublisher {

    private static final Logger LOG = Logger.getLogger(RuleChangePublisher.class);

    private final String bootstrapServers;
    private final RulesConfig config;
    private final TopicSetup topics;
    private final ObjectMapper json;
    private volatile KafkaProducer<String, String> producer;
    /** The compacted topic must exist before the first record, or the broker would auto-create it uncompacted. */
    private volatile boolean topicsReady;

    RuleChangePublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, RulesConfig config,
                        TopicSetup topics, ObjectMapper json) {
        this.bootstrapServers = bootstrapServers;
        this.config = config;
        this.topics = topics;
        this.json = json;
    }

    public static RuleChange changeOf(Rule rule, long revision) {
        String webhookUrl = null;
        if (RuleDefinition.WEBHOOK_TRIGGER.equals(rule.triggerType) && rule.triggerParameters.path("url").isTextual()) {
            webhookUrl = RuleDefinition.normaliseWebhookUrl(rule.triggerParameters.get("url").textValue());
        }
        return new RuleChange(RuleChange.VERSION, rule.id.toString(), rule.orgId, rule.ref(), rule.enabled, rule.triggerType,
                webhookUrl, revision);
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
        KafkaProducer<String, String> current = null;
        try {
            if (!topicsReady) {
                topics.ensureTopics();
                topicsReady = true;
            }
            current = producer();
            current.send(new ProducerRecord<>(Topics.RULE_CHANGES, key, value))
                    .get(config.ruleChangesAckTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warnf("Could not publish the change of rule %s: %s", key, e.toString());
            discard(current);
            throw new ApiException(503, "unavailable",
                    "the rule change could not be published to the broker; nothing was changed, try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "unavailable", "interrupted while publishing the rule change");
        }
    }

    private KafkaProducer<String, String> producer() {
        KafkaProducer<String, String> current = producer;
        if (current == null) {
            synchronized (this) {
                if (producer == null) {
                    Properties props = new Properties();
                    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
                    props.put(ProducerConfig.ACKS_CONFIG, "all");
                    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
                    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
                    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(config.ruleChangesAckTimeout().toMillis()));
                    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                            String.valueOf(Math.max(config.ruleChangesAckTimeout().toMillis(), 1000)));
                    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                            String.valueOf(Math.max(config.ruleChangesAckTimeout().toMillis(), 1000)));
                    producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
                }
                current = producer;
            }
        }
        return current;
    }

    /** A failed idempotent producer may be stuck on its sequence numbers: the next send gets a new one. */
    private synchronized void discard(KafkaProducer<String, String> failed) {
        if (failed == null) {
            return;
        }
        if (producer == failed) {
            producer = null;
        }
        failed.close(java.time.Duration.ZERO);
    }

    @PreDestroy
    void close() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }
}
