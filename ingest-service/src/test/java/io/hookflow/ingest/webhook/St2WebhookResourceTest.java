package io.hookflow.ingest.webhook;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.event.Topics;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The generic st2 webhook against a real Kafka broker: what is accepted is on the topic, what is refused is not. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class St2WebhookResourceTest {

    static final String KEY = "test-bootstrap-key";
    static final ObjectMapper JSON = new ObjectMapper();

    KafkaConsumer<String, String> consumer;

    @BeforeEach
    void positionAtTheEndOfTheTopic() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.broker().bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        // Publishing one accepted event first guarantees the topic exists before we take its end offsets.
        fire(Map.of("trigger", "test.warmup", "payload", Map.of()), KEY).then().statusCode(202);
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.TRIGGER_EVENTS).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    @AfterEach
    void close() {
        consumer.close();
    }

    @Test
    void shouldPublishTheTriggerEventBeforeAnswering202() throws Exception {
        String id = fire(Map.of("trigger", "mypack.mytrigger", "payload", Map.of("attribute1", "value1")), KEY)
                .then().statusCode(202)
                .body("id", notNullValue())
                .body("trigger", equalTo("mypack.mytrigger"))
                .body("payload.attribute1", equalTo("value1"))
                .extract().path("id");

        ConsumerRecord<String, String> record = nextRecord();
        JsonNode event = JSON.readTree(record.value());
        assertEquals("mypack.mytrigger", record.key());
        assertEquals(id, event.get("id").asText());
        assertEquals(1, event.get("version").asInt());
        assertEquals("default", event.get("orgId").asText());
        assertEquals("st2", event.path("source").path("webhook").asText());
        assertEquals("value1", event.path("payload").path("attribute1").asText());
    }

    @Test
    void shouldAcceptTheApiKeyAsQueryParameter() {
        given().contentType("application/json").queryParam("st2-api-key", KEY)
                .body(Map.of("trigger", "mypack.query", "payload", Map.of()))
                .post("/api/v1/webhooks/st2")
                .then().statusCode(202);
        assertEquals("mypack.query", nextRecord().key());
    }

    @Test
    void shouldRefuseBadRequestsWithJsonErrorsAndPublishNothing() {
        given().contentType("application/json").body(Map.of("trigger", "a.b", "payload", Map.of()))
                .post("/api/v1/webhooks/st2")
                .then().statusCode(401).body("error", equalTo("unauthorized")).body("message", containsString("St2-Api-Key"));
        fire(Map.of("trigger", "a.b", "payload", Map.of()), "wrong-key")
                .then().statusCode(401).body("message", equalTo("invalid API key"));
        given().contentType("application/json").header("St2-Api-Key", KEY).body("{\"trigger\": \"a.b\", ")
                .post("/api/v1/webhooks/st2")
                .then().statusCode(400).body("error", equalTo("bad_request")).body("message", containsString("malformed JSON"))
                .body("message", containsString("line 1"));
        fire(Map.of("payload", Map.of()), KEY)
                .then().statusCode(400).body("error", equalTo("validation_failed")).body("details[0].path", equalTo("trigger"));
        fire(Map.of("trigger", "a.b"), KEY)
                .then().statusCode(400).body("details[0].path", equalTo("payload"));
        fire(Map.of("trigger", 42, "payload", "text"), KEY)
                .then().statusCode(400).body("details.path", org.hamcrest.Matchers.contains("trigger", "payload"));
        given().contentType("application/json").header("St2-Api-Key", KEY).body("")
                .post("/api/v1/webhooks/st2")
                .then().statusCode(400).body("message", containsString("empty"));
        given().contentType("text/plain").header("St2-Api-Key", KEY).body("hello")
                .post("/api/v1/webhooks/st2")
                .then().statusCode(415).body("error", equalTo("unsupported_media_type"));
        fire(Map.of("trigger", "a.b", "payload", Map.of()), KEY, "/api/v1/webhooks/no-such-hook")
                .then().statusCode(404).body("error", equalTo("not_found"));

        // Nothing of the above reached the topic: the next record is the one accepted below.
        String marker = "test.after_" + UUID.randomUUID().toString().replace("-", "");
        fire(Map.of("trigger", marker, "payload", Map.of()), KEY).then().statusCode(202);
        assertEquals(marker, nextRecord().key());
    }

    private static io.restassured.response.Response fire(Object body, String key) {
        return fire(body, key, "/api/v1/webhooks/st2");
    }

    private static io.restassured.response.Response fire(Object body, String key, String path) {
        return given().contentType("application/json").header("St2-Api-Key", key).body(body).post(path);
    }

    private ConsumerRecord<String, String> nextRecord() {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                return record;
            }
        }
        throw new AssertionError("no record arrived on " + Topics.TRIGGER_EVENTS);
    }
}
