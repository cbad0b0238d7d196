package io.hookflow.rules.enforcement;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.event.ExecutionEvent;
import io.hookflow.common.event.Topics;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A delivery's status changes become trigger instances only when some rule of the organisation listens to that status:
 * the others would fire nothing and cost a database write each.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class UnwatchedExecutionEventsTest {

    static final String KEY = "test-bootstrap-key";
    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    @Test
    void shouldRecordOnlyTheStatusesARuleListensTo() throws Exception {
        String org = "default";
        given().header("St2-Api-Key", KEY).contentType("application/json").body("""
                {"name": "on_retrying_%s", "pack": "unwatched", "trigger": {"type": "hookflow.execution.retrying"},
                 "action": {"ref": "core.http", "parameters": {"url": "https://chat.example.com/retrying"}}}"""
                .formatted(UUID.randomUUID().toString().substring(0, 8)))
                .post("/api/v1/rules").then().statusCode(201);
        String execution = UUID.randomUUID().toString();
        ExecutionEvent unwatched = event(org, execution, "PENDING", "RUNNING");
        ExecutionEvent watched = event(org, execution, "RUNNING", "RETRYING");

        try (KafkaProducer<String, String> producer = producer()) {
            // Same key, same partition, consumed in order: once the second is recorded the first has been handled.
            producer.send(new ProducerRecord<>(Topics.EXECUTION_EVENTS, execution, JSON.writeValueAsString(unwatched))).get();
            producer.send(new ProducerRecord<>(Topics.EXECUTION_EVENTS, execution, JSON.writeValueAsString(watched))).get();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> given().header("St2-Api-Key", KEY)
                .get("/api/v1/triggerinstances/" + ExecutionEventConsumer.instanceId(watched)).statusCode() == 200);
        given().header("St2-Api-Key", KEY).get("/api/v1/triggerinstances/" + ExecutionEventConsumer.instanceId(unwatched))
                .then().statusCode(404);
    }

    private static ExecutionEvent event(String org, String execution, String previous, String status) {
        return new ExecutionEvent(ExecutionEvent.VERSION, execution, org, UUID.randomUUID().toString(), "unwatched.r",
                UUID.randomUUID().toString(), "it.upstream", status, previous, 1, null, Instant.now(), 1);
    }

    private static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.broker().bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }
}
