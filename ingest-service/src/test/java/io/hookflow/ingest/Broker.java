package io.hookflow.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.hookflow.common.auth.ApiKeyChange;
import io.hookflow.common.event.RuleChange;
import io.hookflow.common.event.Topics;
import io.hookflow.common.event.TriggerEvent;
import io.hookflow.stack.testing.KafkaTestResource;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes records to the real test broker, as another service (or another replica) would. */
public final class Broker {

    private static KafkaProducer<String, String> producer;

    private Broker() {
    }

    /** Publishes one record (null value: a tombstone) and waits for the broker's acknowledgement. */
    public static synchronized void send(String topic, String key, String value) {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.broker().bootstrapServers());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        }
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    /** What rules-service publishes for a {@code core.st2.webhook} rule: its current state, keyed by rule id. */
    public static void publishRule(String ruleId, String orgId, String ref, boolean enabled, String url, long revision) {
        publish(new RuleChange(RuleChange.VERSION, ruleId, orgId, ref, enabled, TriggerEvent.WEBHOOK_TRIGGER, url,
                revision));
    }

    /** A rule change as rules-service writes it: the shared contract type, so a change to the contract reaches here. */
    public static void publish(RuleChange change) {
        send(Topics.RULE_CHANGES, change.ruleId(), json(change));
    }

    /** An API key's state as another replica of ingest writes it. */
    public static void publish(ApiKeyChange change) {
        send(Topics.API_KEYS, change.id(), json(change));
    }

    private static String json(Object contract) {
        try {
            return TriggerTopic.JSON_READER.writeValueAsString(contract);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
