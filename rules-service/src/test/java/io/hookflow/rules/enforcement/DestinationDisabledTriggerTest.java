package io.hookflow.rules.enforcement;

import static io.hookflow.rules.support.Events.api;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.common.event.DestinationEvent;
import io.hookflow.common.event.Topics;
import io.hookflow.rules.support.Events;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.hookflow.stack.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * delivery's {@code hookflow.destination.disabled}, published to the real broker's destination-events topic as
 * delivery's DestinationEventRelay publishes it (key "org destination", the event as JSON), is recorded as a trigger
 * instance and enforces the rules on it. DestinationEventConsumerTest covers the mapping alone.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class DestinationDisabledTriggerTest {

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
    void shouldRecordADisabledDestinationFromTheTopicAndEnforceARuleOnIt() throws Exception {
        String destination = "hooks-" + UUID.randomUUID().toString().substring(0, 8) + ".example.com:443";
        String ruleId = Events.createRule("hookflow.destination.disabled",
                "{\"trigger.destination\": {\"type\": \"equals\", \"pattern\": \"%s\"}}".formatted(destination),
                "{\"url\": \"https://chat.example.com/ops\", \"body\": {\"text\": \"{{ trigger.destination }} disabled:"
                        + " {{ trigger.lastError }}\"}}");
        Instant disabledAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        DestinationEvent event = new DestinationEvent(DestinationEvent.VERSION, DestinationEvent.DISABLED, Events.ORG,
                destination, "HTTP 503", 1440, disabledAt.minus(Duration.ofDays(5)), disabledAt, 0);

        Events.send(Topics.DESTINATION_EVENTS, Events.ORG + " " + destination, Events.write(event));

        await().atMost(Duration.ofSeconds(60)).until(() -> !tasks.records(r -> r.value().contains(ruleId)).isEmpty());
        JsonNode task = Events.JSON.readTree(tasks.records(r -> r.value().contains(ruleId)).get(0).value());
        assertEquals("hookflow.destination.disabled", task.get("trigger").asText());
        assertEquals("{\"text\":\"" + destination + " disabled: HTTP 503\"}", task.get("request").get("body").asText());
        String instance = task.get("triggerInstanceId").asText();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api().get("/api/v1/triggerinstances/" + instance)
                .then().statusCode(200)
                .body("trigger", equalTo("hookflow.destination.disabled"))
                .body("status", equalTo("processed"))
                .body("source", equalTo("destination-events"))
                .body("depth", equalTo(1))
                .body("payload.destination", equalTo(destination))
                .body("payload.consecutiveFailures", equalTo(1440)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> api().queryParam("triggerInstance", instance)
                .get("/api/v1/ruleenforcements").then().statusCode(200)
                .body("items[0].ruleId", equalTo(ruleId))
                .body("items[0].status", equalTo("succeeded")));
    }
}
