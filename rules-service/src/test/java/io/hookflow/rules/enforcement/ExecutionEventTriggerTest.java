package io.hookflow.rules.enforcement;

import static io.hookflow.rules.support.Events.api;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.event.ExecutionEvent;
import io.hookflow.common.event.Topics;
import io.hookflow.rules.support.Enforcement;
import io.hookflow.rules.support.Events;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.hookflow.stack.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A rule reacting to delivery's execution events, published as delivery publishes them, and chains bounded by depth. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class ExecutionEventTriggerTest {

    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    static TopicReader tasks;

    @BeforeAll
    static void connect() {
        tasks = new TopicReader(KafkaTestResource.broker().bootstrapServers(), Topics.ACTION_TASKS);
    }

    @AfterAll
    static void close() {
        tasks.close();
    }

    @Test
    void shouldFireARuleOnAFailedExecutionOneLevelDeeper() throws Exception {
        String watched = "ops.deploy_" + UUID.randomUUID().toString().substring(0, 8);
        String ruleId = Events.createRule("hookflow.execution.failed",
                "{\"trigger.ruleRef\": {\"type\": \"equals\", \"pattern\": \"%s\"}}".formatted(watched),
                "{\"url\": \"https://chat.example.com/alert\", \"body\": {\"text\": \"{{ trigger.ruleRef }} failed: {{ trigger.lastError }}\"}}");
        ExecutionEvent failed = event(watched, "FAILED", 1);

        Events.publish(failed);

        await().atMost(Duration.ofSeconds(30)).until(() -> !tasks.records(r -> r.value().contains(ruleId)).isEmpty());
        JsonNode task = JSON.readTree(tasks.records(r -> r.value().contains(ruleId)).get(0).value());
        assertEquals(2, task.get("depth").asInt());
        assertEquals("hookflow.execution.failed", task.get("trigger").asText());
        assertEquals("{\"text\":\"" + watched + " failed: HTTP 500\"}", task.get("request").get("body").asText());
        String instance = task.get("triggerInstanceId").asText();
        api().get("/api/v1/triggerinstances/" + instance).then().statusCode(200)
                .body("status", equalTo("processed"))
                .body("depth", equalTo(2))
                .body("source", equalTo("execution-events"))
                .body("payload.executionId", equalTo(failed.executionId()));
    }

    @Test
    void shouldDropAnEventDeeperThanTheChainLimit() throws Exception {
        String watched = "ops.loop_" + UUID.randomUUID().toString().substring(0, 8);
        String ruleId = Events.createRule("hookflow.execution.succeeded",
                "{\"trigger.ruleRef\": {\"type\": \"equals\", \"pattern\": \"%s\"}}".formatted(watched),
                "{\"url\": \"https://chat.example.com/again\"}");
        ExecutionEvent deep = event(watched, "SUCCEEDED", 3);

        RecordMetadata published = Events.publish(deep);

        await().atMost(Duration.ofSeconds(30)).until(() -> api().queryParam("trigger", "hookflow.execution.succeeded")
                .queryParam("status", "dropped").get("/api/v1/triggerinstances").then().extract()
                .<java.util.List<String>>path("items.payload.executionId").contains(deep.executionId()));
        api().queryParam("trigger", "hookflow.execution.succeeded").queryParam("status", "dropped")
                .get("/api/v1/triggerinstances").then()
                .body("items.find { it.payload.executionId == '%s' }.reason".formatted(deep.executionId()),
                        containsString("max-chain-depth"))
                .body("items.find { it.payload.executionId == '%s' }.depth".formatted(deep.executionId()), equalTo(4));
        api().queryParam("rule", ruleId).get("/api/v1/ruleenforcements").then().body("items", hasSize(0));
        // Committed past the event: whatever it produced is on action-tasks by now, so a wrong task would be seen.
        Enforcement.awaitCommittedPast(List.of(published));
        assertTrue(TopicReader.readAll(KafkaTestResource.broker().bootstrapServers(), Topics.ACTION_TASKS).stream()
                .noneMatch(r -> r.value().contains(ruleId)));
    }

    private static ExecutionEvent event(String ruleRef, String status, int depth) {
        return new ExecutionEvent(ExecutionEvent.VERSION, UUID.randomUUID().toString(), "default",
                UUID.randomUUID().toString(), ruleRef, UUID.randomUUID().toString(), "it.upstream", status, "RUNNING", 3,
                "HTTP 500", Instant.now(), depth);
    }
}
