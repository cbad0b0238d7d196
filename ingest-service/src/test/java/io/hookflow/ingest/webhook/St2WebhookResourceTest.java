package io.hookflow.ingest.webhook;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hookflow.common.event.TriggerEvent;
import io.hookflow.ingest.TriggerTopic;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The generic st2 webhook against a real Kafka broker: what is accepted is on the topic, what is refused is not. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class St2WebhookResourceTest {

    static final String KEY = "test-bootstrap-key";
    TriggerTopic topic;

    @BeforeEach
    void openTopic() {
        topic = TriggerTopic.atEnd();
    }

    @AfterEach
    void closeTopic() {
        topic.close();
    }

    @Test
    void shouldPublishTheTriggerEventBeforeAnswering202() {
        String id = fire(Map.of("trigger", "mypack.mytrigger", "payload", Map.of("attribute1", "value1")), KEY)
                .then().statusCode(202)
                .body("id", notNullValue())
                .body("trigger", equalTo("mypack.mytrigger"))
                .body("payload.attribute1", equalTo("value1"))
                .extract().path("id");

        // No waiting: the end offsets taken now, once the 202 is here, must already cover the event. (An answer sent
        // before the acknowledgement is caught for certain by BrokerOutageTest: 503, never 202, with no broker.)
        List<ConsumerRecord<String, String>> published = topic.readToCurrentEnd();
        assertEquals(1, published.size(), "exactly the accepted event: " + published);
        ConsumerRecord<String, String> record = published.get(0);
        TriggerEvent event = TriggerTopic.event(record);
        assertEquals(id, record.key(), "keyed by trigger instance, so one busy trigger spreads over partitions");
        assertEquals(id, event.id());
        assertEquals(TriggerEvent.VERSION, event.version());
        assertEquals("default", event.orgId());
        assertEquals("st2", event.source().webhook());
        assertEquals("value1", event.payload().path("attribute1").asText());
        assertNull(event.parameters(), "the st2 webhook's trigger has no parameters");
    }

    @Test
    void shouldAcceptTheApiKeyAsQueryParameter() {
        given().contentType("application/json").queryParam("st2-api-key", KEY)
                .body(Map.of("trigger", "mypack.query", "payload", Map.of()))
                .post("/api/v1/webhooks/st2")
                .then().statusCode(202);
        assertEquals("mypack.query", TriggerTopic.trigger(topic.next()));
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
        String marker = TriggerTopic.marker();
        fire(Map.of("trigger", marker, "payload", Map.of()), KEY).then().statusCode(202);
        topic.assertOnlyMarkerSince(marker);
    }

    private static io.restassured.response.Response fire(Object body, String key) {
        return fire(body, key, "/api/v1/webhooks/st2");
    }

    private static io.restassured.response.Response fire(Object body, String key, String path) {
        return given().contentType("application/json").header("St2-Api-Key", key).body(body).post(path);
    }
}
