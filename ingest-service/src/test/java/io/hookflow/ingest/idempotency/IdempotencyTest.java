package io.hookflow.ingest.idempotency;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.ingest.TriggerTopic;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A repeated request gets the first answer and publishes nothing, even when the repeats race each other. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class IdempotencyTest {

    static final String KEY = "test-bootstrap-key";

    TriggerTopic topic;

    @BeforeEach
    void openTopic() {
        topic = TriggerTopic.atEnd(() -> fire("test.warmup", null).then().statusCode(202));
    }

    @AfterEach
    void closeTopic() {
        topic.close();
    }

    static Response fire(String trigger, String idempotencyKey) {
        var request = given().header("St2-Api-Key", KEY).contentType("application/json");
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request.body(Map.of("trigger", trigger, "payload", Map.of("n", 1))).post("/api/v1/webhooks/st2");
    }

    @Test
    void shouldAnswerARepeatWithTheFirstAnswerAndPublishItOnce() {
        String key = UUID.randomUUID().toString();
        Response first = fire("mypack.once", key);
        first.then().statusCode(202);
        Response repeat = fire("mypack.once", key);
        repeat.then().statusCode(202).header("Idempotent-Replayed", "true")
                .body("id", equalTo(first.path("id")))
                .body("receivedAt", equalTo(first.path("receivedAt")))
                .body("payload.n", equalTo(1));

        assertEquals(first.<String>path("id"), topic.nextEvent().path("id").asText());
        assertNextIsMarker();
    }

    @Test
    void shouldPublishOnceWhenRepeatsRace() throws Exception {
        String key = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                calls.add(() -> fire("mypack.race", key));
            }
            Set<String> acceptedIds = new HashSet<>();
            for (Future<Response> answer : pool.invokeAll(calls)) {
                Response response = answer.get();
                // A repeat that arrives while the first is still being published is told to retry (409).
                assertTrue(response.statusCode() == 202 || response.statusCode() == 409, response.asString());
                if (response.statusCode() == 202) {
                    acceptedIds.add(response.path("id"));
                }
            }
            assertFalse(acceptedIds.isEmpty());
            assertEquals(1, acceptedIds.size(), "every accepted answer names the same trigger instance");
            assertEquals(acceptedIds.iterator().next(), topic.nextEvent().path("id").asText());
            assertNextIsMarker();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldTreatDifferentKeysAsDifferentRequests() {
        String a = fire("mypack.keys", UUID.randomUUID().toString()).then().statusCode(202).extract().path("id");
        String b = fire("mypack.keys", UUID.randomUUID().toString()).then().statusCode(202).extract().path("id");
        assertFalse(a.equals(b));
        // Keyed by trigger instance, the two events may sit on different partitions: read both, in either order.
        assertEquals(java.util.Set.of(a, b),
                java.util.Set.of(topic.nextEvent().path("id").asText(), topic.nextEvent().path("id").asText()));
    }

    @Test
    void shouldDeduplicateAStandardWebhooksRedeliveryByItsWebhookId() throws Exception {
        byte[] secret = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        String webhook = given().header("St2-Api-Key", KEY).contentType("application/json")
                .body(Map.of("secret", "whsec_" + Base64.getEncoder().encodeToString(secret)))
                .post("/api/v1/webhooks").then().statusCode(201).extract().path("id");
        String body = "{\"type\": \"invoice.paid\"}";
        String msgId = "msg_" + UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        for (int delivery = 0; delivery < 2; delivery++) {
            // A redelivery is signed afresh, with a new timestamp, but keeps its webhook-id.
            String ts = Long.toString(Instant.now().getEpochSecond() - delivery);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            String signature = "v1," + Base64.getEncoder().encodeToString(
                    mac.doFinal((msgId + "." + ts + "." + body).getBytes(StandardCharsets.UTF_8)));
            ids.add(given().contentType("application/json").header("webhook-id", msgId).header("webhook-timestamp", ts)
                    .header("webhook-signature", signature).body(body)
                    .post("/api/v1/trigger-webhooks/" + webhook)
                    .then().statusCode(202).extract().path("id"));
        }
        assertEquals(ids.get(0), ids.get(1));
        assertEquals(ids.get(0), topic.nextEvent().path("id").asText());
        assertNextIsMarker();
    }

    private void assertNextIsMarker() {
        String marker = TriggerTopic.marker();
        fire(marker, null).then().statusCode(202);
        assertEquals(marker, TriggerTopic.trigger(topic.next()));
    }
}
