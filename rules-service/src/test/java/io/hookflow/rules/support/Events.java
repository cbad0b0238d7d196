package io.hookflow.rules.support;

import static io.restassured.RestAssured.given;

import io.hookflow.common.event.Topics;
import io.hookflow.stack.testing.KafkaTestResource;
import io.restassured.specification.RequestSpecification;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes trigger and execution events to the test broker and creates rules through the API. */
public final class Events {

    public static final String KEY = "test-bootstrap-key";
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

    public static String st2Event(String instance, String trigger, String payload, int depth) {
        return """
                {"version": 1, "id": "%s", "orgId": "default", "trigger": "%s", "receivedAt": "%s",
                 "source": {"webhook": "st2"}, "payload": %s, "depth": %d}"""
                .formatted(instance, trigger, Instant.now(), payload, depth);
    }

    /** Publishes an st2 trigger event and answers its trigger instance id. */
    public static String publishSt2Event(String trigger, String payload) {
        String instance = UUID.randomUUID().toString();
        send(Topics.TRIGGER_EVENTS, trigger, st2Event(instance, trigger, payload, 0));
        return instance;
    }

    public static void send(String topic, String key, String value) {
        try {
            producer().send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }
}
