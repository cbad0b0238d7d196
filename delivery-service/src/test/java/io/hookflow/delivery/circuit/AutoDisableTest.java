package io.hookflow.delivery.circuit;

import static io.hookflow.delivery.DeliveryTestSupport.api;
import static io.hookflow.delivery.DeliveryTestSupport.awaitStatus;
import static io.hookflow.delivery.DeliveryTestSupport.publish;
import static io.hookflow.delivery.DeliveryTestSupport.task;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.Topics;
import io.hookflow.delivery.DeliveryTestSupport;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.hookflow.stack.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A destination that fails every attempt for the auto-disable time (3 s here, 5 days by default) is disabled: what
 * comes for it is parked without an attempt, the {@code hookflow.destination.disabled} event goes out, and enabling it
 * sends what it parked. Its own profile: the short time must not disable other tests' failing targets.
 */
@QuarkusTest
@TestProfile(AutoDisableTest.ShortAutoDisable.class)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class AutoDisableTest {

    /** Disabled after 3 s of failures; a circuit that never opens, so only auto-disabling can stop attempts. */
    public static class ShortAutoDisable implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hookflow.delivery.auto-disable-after", "3s",
                    "hookflow.delivery.circuit.failure-threshold", "1000");
        }
    }

    static RequestSink sink;
    static TopicReader destinationEvents;

    @BeforeAll
    static void start() {
        sink = RequestSink.start(0);
        destinationEvents = new TopicReader(KafkaTestResource.broker().bootstrapServers(), Topics.DESTINATION_EVENTS);
    }

    @AfterAll
    static void stop() {
        destinationEvents.close();
        sink.close();
    }

    @Test
    void shouldParkWorkOfADestinationFailingForTheConfiguredTimeAnnounceItAndSendItWhenEnabled() throws Exception {
        sink.respondWith(503);
        String destination = "127.0.0.1:" + sink.port();
        ActionTask first = task("POST", sink.url("/down/first"), Map.of(), "1", null);
        publish(first);
        awaitStatus(first.id(), "FAILED").body("attemptCount", equalTo(3));
        Instant failingSince = Instant.parse(circuit(destination).path("failingSince").asText());
        assertEquals("CLOSED", circuit(destination).path("state").asText(), "3 failures, not yet for 3 s");

        // Every attempt has now failed for the configured time: the next failure disables the destination.
        await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(failingSince.plusSeconds(3)));
        ActionTask second = task("POST", sink.url("/down/second"), Map.of(), "2", null);
        publish(second);
        await().atMost(Duration.ofSeconds(30)).until(() -> "DISABLED".equals(circuit(destination).path("state").asText()));
        JsonNode disabled = circuit(destination);
        assertTrue(disabled.path("nextProbeAt").isMissingNode(), "a disabled destination is never probed");
        assertEquals(failingSince.toString(), Instant.parse(disabled.path("failingSince").asText()).toString());

        ActionTask third = task("POST", sink.url("/down/third"), Map.of(), "3", null);
        publish(third);
        for (ActionTask parked : List.of(second, third)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                var execution = api().get("/api/v1/executions/" + parked.id()).then().extract();
                String error = execution.path("lastError");
                return "RETRYING".equals(execution.path("status")) && error != null && error.contains("disabled");
            });
        }
        // Parked, not attempted: longer than the retry schedule and the circuit's cool-down would wait.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() ->
                sink.requestsTo("/down/third").isEmpty() && sink.requestsTo("/down/second").size() == 1);

        // The system trigger rules can alert on; published at once because the disable woke the relay (the test profile
        // has it look on its own only every 10 minutes).
        await().atMost(Duration.ofSeconds(30)).until(() -> !destinationEvents.records(
                record -> ("default " + destination).equals(record.key())).isEmpty());
        JsonNode event = DeliveryTestSupport.JSON.readTree(destinationEvents.records(
                record -> ("default " + destination).equals(record.key())).get(0).value());
        assertEquals("hookflow.destination.disabled", event.path("type").asText());
        assertEquals("default", event.path("orgId").asText());
        assertEquals(destination, event.path("destination").asText());
        assertEquals("HTTP 503", event.path("lastError").asText());
        assertTrue(event.path("consecutiveFailures").asInt() >= 4);
        assertEquals(failingSince, Instant.parse(event.path("failingSince").asText()));

        // Enabled again: everything it parked is sent at once.
        sink.respondWith(200);
        api().post("/api/v1/destinations/" + destination + "/enable").then().statusCode(200)
                .body("destination.state", equalTo("CLOSED"))
                .body("released", greaterThanOrEqualTo(2));
        awaitStatus(second.id(), "SUCCEEDED");
        awaitStatus(third.id(), "SUCCEEDED").body("attemptCount", equalTo(1));
        assertEquals(1, sink.deliveredTo("/down/third").size());

        api().post("/api/v1/destinations/" + destination + "/enable").then().statusCode(409)
                .body("error", equalTo("conflict"));
        api().post("/api/v1/destinations/nowhere.example:443/enable").then().statusCode(404)
                .body("error", equalTo("not_found"));
    }

    private static JsonNode circuit(String destination) throws Exception {
        JsonNode items = DeliveryTestSupport.JSON.readTree(api().get("/api/v1/destinations").then().statusCode(200)
                .extract().asString()).path("items");
        for (JsonNode item : items) {
            if (destination.equals(item.path("destination").asText())) {
                return item;
            }
        }
        return DeliveryTestSupport.JSON.missingNode();
    }
}
