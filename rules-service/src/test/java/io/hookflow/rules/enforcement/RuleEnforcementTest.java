package io.hookflow.rules.enforcement;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.event.TaskIds;
import io.hookflow.common.event.Topics;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.hookflow.stack.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Trigger events in through the real broker, rules from the real database, tasks out on the real broker. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class RuleEnforcementTest {

    static final String KEY = "test-bootstrap-key";
    static final ObjectMapper JSON = new ObjectMapper();
    static KafkaProducer<String, String> producer;
    static TopicReader tasks;

    @BeforeAll
    static void connect() {
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.broker().bootstrapServers());
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer());
        tasks = new TopicReader(KafkaTestResource.broker().bootstrapServers(), Topics.ACTION_TASKS);
    }

    @AfterAll
    static void close() {
        producer.close();
        tasks.close();
    }

    @Test
    void shouldPublishARenderedTaskForAMatchingRule() throws Exception {
        String trigger = newTriggerType();
        String ruleId = createRule(trigger, "{\"trigger.attribute1\": {\"type\": \"equals\", \"pattern\": \"value1\"}}", """
                {"url": "https://ci.example.com/build?branch={{ trigger.payload.branch }}", "method": "POST",
                 "headers": {"X-Attr": "{{ trigger.body.payload.attribute1 }}"},
                 "body": {"attribute": "{{ trigger.attribute1 }}", "published": "${trigger.payload.branch}"}}""");

        String instance = publishSt2Event(trigger, "{\"attribute1\": \"value1\", \"branch\": \"feature/x y\"}");

        JsonNode task = awaitTaskFor(instance);
        assertEquals(TaskIds.forTask(instance, ruleId), task.get("id").asText());
        assertEquals(ruleId, task.get("ruleId").asText());
        String ref = given().header("St2-Api-Key", KEY).get("/api/v1/rules/" + ruleId).then().extract().path("ref");
        assertEquals(ref, task.get("ruleRef").asText());
        assertEquals("core.http", task.get("actionRef").asText());
        assertEquals("default", task.get("orgId").asText());
        JsonNode request = task.get("request");
        assertEquals("https://ci.example.com/build?branch=feature%2Fx+y", request.get("url").asText());
        assertEquals("value1", request.get("headers").get("X-Attr").asText());
        assertEquals("{\"attribute\":\"value1\",\"published\":\"feature/x y\"}", request.get("body").asText());
    }

    @Test
    void shouldPublishNothingForEventsNoRuleMatches() throws Exception {
        String trigger = newTriggerType();
        createRule(trigger, "{\"trigger.attribute1\": {\"type\": \"equals\", \"pattern\": \"value1\"}}",
                "{\"url\": \"https://ci.example.com/{{ trigger.needed }}\"}");

        String unmatched = publishSt2Event(trigger, "{\"attribute1\": \"other\", \"needed\": \"x\"}");
        String unrenderable = publishSt2Event(trigger, "{\"attribute1\": \"value1\"}");
        // Same trigger type, same partition: once this one's task is out, the two before it have been processed.
        String marker = publishSt2Event(trigger, "{\"attribute1\": \"value1\", \"needed\": \"x\"}");

        awaitTaskFor(marker);
        assertTrue(tasksFor(unmatched).isEmpty());
        assertTrue(tasksFor(unrenderable).isEmpty());
    }

    @Test
    void shouldNotFireDisabledRulesOrRulesOfOtherTriggers() throws Exception {
        String trigger = newTriggerType();
        String disabled = createRule(trigger, "{}", "{\"url\": \"https://x.example.com/off\"}");
        given().header("St2-Api-Key", KEY).post("/api/v1/rules/" + disabled + "/disable").then().statusCode(200);
        String other = newTriggerType();
        createRule(other, "{}", "{\"url\": \"https://x.example.com/other\"}");
        String enabled = createRule(trigger, "{}", "{\"url\": \"https://x.example.com/on\"}");

        String instance = publishSt2Event(trigger, "{}");

        JsonNode task = awaitTaskFor(instance);
        assertEquals(enabled, task.get("ruleId").asText());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> tasksFor(instance).size() == 1);
    }

    @Test
    void shouldDeriveTheSameTaskIdWhenAnEventIsRedelivered() throws Exception {
        String trigger = newTriggerType();
        String ruleId = createRule(trigger, "{}", "{\"url\": \"https://x.example.com/replay\"}");
        String instance = UUID.randomUUID().toString();
        String event = st2Event(instance, trigger, "{\"n\": 1}");
        producer.send(new ProducerRecord<>(Topics.TRIGGER_EVENTS, trigger, event)).get();
        producer.send(new ProducerRecord<>(Topics.TRIGGER_EVENTS, trigger, event)).get();

        await().atMost(Duration.ofSeconds(30)).until(() -> tasksFor(instance).size() == 2);
        List<JsonNode> both = tasksFor(instance);
        assertEquals(TaskIds.forTask(instance, ruleId), both.get(0).get("id").asText());
        assertEquals(both.get(0).get("id"), both.get(1).get("id"));
    }

    private static String newTriggerType() {
        return "it." + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    private static String createRule(String trigger, String criteria, String parameters) {
        String name = trigger.substring(3) + "_" + UUID.randomUUID().toString().substring(0, 4);
        return given().header("St2-Api-Key", KEY).contentType("application/json")
                .body("{\"name\": \"%s\", \"pack\": \"it\", \"trigger\": {\"type\": \"%s\"}, \"criteria\": %s, "
                        .formatted(name, trigger, criteria)
                        + "\"action\": {\"ref\": \"core.http\", \"parameters\": " + parameters + "}}")
                .post("/api/v1/rules")
                .then().statusCode(201)
                .extract().path("id");
    }

    private static String publishSt2Event(String trigger, String payload) throws Exception {
        String instance = UUID.randomUUID().toString();
        producer.send(new ProducerRecord<>(Topics.TRIGGER_EVENTS, trigger, st2Event(instance, trigger, payload))).get();
        return instance;
    }

    private static String st2Event(String instance, String trigger, String payload) {
        return """
                {"version": 1, "id": "%s", "orgId": "default", "trigger": "%s", "receivedAt": "%s",
                 "source": {"webhook": "st2"}, "payload": %s, "depth": 0}""".formatted(instance, trigger, Instant.now(), payload);
    }

    private static JsonNode awaitTaskFor(String instance) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !tasksFor(instance).isEmpty());
        return tasksFor(instance).get(0);
    }

    private static List<JsonNode> tasksFor(String instance) {
        return tasks.records(record -> true).stream().map(RuleEnforcementTest::json)
                .filter(task -> task.path("triggerInstanceId").asText().equals(instance)).toList();
    }

    private static JsonNode json(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
