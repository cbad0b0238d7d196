package io.hookflow.rules.support;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.ExecutionEvent;
import io.hookflow.common.event.RuleChange;
import io.hookflow.common.event.Topics;
import io.hookflow.common.event.TriggerEvent;
import io.hookflow.stack.testing.KafkaTestResource;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes trigger and execution events to the test broker and creates rules through the API. Events are the shared
 * contract records of hookflow-common serialised with Jackson, as the services do, so a change of a contract changes
 * what the tests send and read instead of leaving hand-written JSON behind.
 */
public final class Events {

    public static final String KEY = "test-bootstrap-key";
    public static final String ORG = "default";
    /** As the services configure Jackson: java.time values as ISO-8601 text. */
    public static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static KafkaProducer<String, String> producer;

    private Events() {
    }

    public static RequestSpecification api() {
        return given().header("St2-Api-Key", KEY).contentType("application/json");
    }

    public static synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.broker().bootstrapServers());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    public static String newTriggerType() {
        return "it." + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Creates an enabled rule and answers its id. */
    public static String createRule(String trigger, String criteria, String parameters) {
        String name = "r" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return api().body("{\"name\": \"%s\", \"pack\": \"it\", \"trigger\": {\"type\": \"%s\"}, \"criteria\": %s, "
                        .formatted(name, trigger, criteria)
                        + "\"action\": {\"ref\": \"core.http\", \"parameters\": " + parameters + "}}")
                .post("/api/v1/rules")
                .then().statusCode(201)
                .extract().path("id");
    }

    /** A trigger instance of the generic st2 webhook, received now, in the default organisation. */
    public static TriggerEvent st2Event(String instance, String trigger, String payload, int depth) {
        return triggerEvent(ORG, instance, trigger, Instant.now(), payload, depth);
    }

    /** A trigger instance of the generic st2 webhook (no trigger parameters), as ingest-service publishes it. */
    public static TriggerEvent triggerEvent(String orgId, String instance, String trigger, Instant receivedAt,
                                            String payload, int depth) {
        return new TriggerEvent(TriggerEvent.VERSION, instance, orgId, trigger, null, receivedAt,
                new TriggerEvent.Source("st2", null), tree(payload), depth);
    }

    /**
     * A trigger instance of a rule-registered webhook, as ingest publishes it: trigger {@code core.st2.webhook} with the
     * url as its trigger parameter, and StackStorm's payload {url, headers, body}.
     */
    public static TriggerEvent webhookEvent(String instance, String url, String body) {
        JsonNode payload = JSON.createObjectNode().put("url", url).<com.fasterxml.jackson.databind.node.ObjectNode>set(
                "headers", JSON.createObjectNode()).set("body", tree(body));
        return new TriggerEvent(TriggerEvent.VERSION, instance, ORG, TriggerEvent.WEBHOOK_TRIGGER,
                JSON.createObjectNode().put("url", url), Instant.now(), new TriggerEvent.Source(url, null), payload, 0);
    }

    /** Publishes an st2 trigger event and answers its trigger instance id. */
    public static String publishSt2Event(String trigger, String payload) {
        String instance = UUID.randomUUID().toString();
        publish(st2Event(instance, trigger, payload, 0));
        return instance;
    }

    /** Publishes a trigger event keyed by its trigger type, as ingest does; answers where the broker stored it. */
    public static RecordMetadata publish(TriggerEvent event) {
        return send(Topics.TRIGGER_EVENTS, event.trigger(), write(event));
    }

    /** Publishes a trigger event under the given key (e.g. its id, to spread events over every partition). */
    public static RecordMetadata publish(TriggerEvent event, String key) {
        return send(Topics.TRIGGER_EVENTS, key, write(event));
    }

    public static RecordMetadata publish(ExecutionEvent event) {
        return send(Topics.EXECUTION_EVENTS, event.executionId(), write(event));
    }

    public static RecordMetadata send(String topic, String key, String value) {
        try {
            return producer().send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    /** An action-tasks record as the contract reads it. */
    public static ActionTask task(ConsumerRecord<String, String> record) {
        return read(record.value(), ActionTask.class);
    }

    /** A rule-changes record as the contract reads it (a tombstone is null). */
    public static RuleChange ruleChange(ConsumerRecord<String, String> record) {
        return record.value() == null ? null : read(record.value(), RuleChange.class);
    }

    public static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a contract record always serialises", e);
        }
    }

    public static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
