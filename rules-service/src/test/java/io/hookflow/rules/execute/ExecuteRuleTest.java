package io.hookflow.rules.execute;

import static io.hookflow.rules.support.Events.api;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.rules.support.Events;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** POST /api/v1/rules/{ref}/execute through the REST client, against a local stand-in for delivery-service. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = DeliveryStandIn.class, restrictToAnnotatedClass = true)
class ExecuteRuleTest {


    @Test
    void shouldRenderTheNewestMatchingInstanceAndSendItWithTheCallersKey() {
        String trigger = Events.newTriggerType();
        String ruleId = Events.createRule(trigger, "{\"trigger.kind\": {\"type\": \"equals\", \"pattern\": \"build\"}}",
                "{\"url\": \"https://ci.example.com/{{ trigger.branch }}\", \"password\": \"pw-in-clear\"}");
        // Each instance renders a url of its own, unique to this run (the stand-in's record outlives a test).
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        // Published (and so recorded) in an order that differs from the order received: the newest matching instance
        // is neither the first nor the last recorded, so "the first", "the last recorded" and "the oldest" all render
        // another branch. The newest instance of all does not match the rule and must be passed over.
        String middle = instance(trigger, now.minusSeconds(60), "build", "middle-" + run);
        String newestMatching = instance(trigger, now.minusSeconds(30), "build", "newest-" + run);
        String oldest = instance(trigger, now.minusSeconds(90), "build", "oldest-" + run);
        String unmatched = instance(trigger, now, "deploy", "unmatched-" + run);
        for (String instance : List.of(middle, newestMatching, oldest, unmatched)) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> api().get("/api/v1/triggerinstances/" + instance).statusCode() == 200);
        }

        // The stand-in answers 200 without the result body delivery gives: the client reports that clearly.
        api().post("/api/v1/rules/" + ruleId + "/execute").then().statusCode(502)
                .body("error", equalTo("bad_gateway"))
                .body("message", containsString("without a result"));

        // The stand-in records a request just after answering it: wait for this run's request to be written down.
        await().atMost(Duration.ofSeconds(30)).until(() -> !requestsOf(run).isEmpty());
        List<String> sent = requestsOf(run);
        assertEquals(1, sent.size(), "one request per execute: " + sent);
        String request = sent.get(0);
        assertTrue(request.contains("\"url\":\"https://ci.example.com/newest-" + run + "\""), request);
        assertTrue(request.startsWith("POST /api/v1/test-deliveries\n"), request);
        assertTrue(request.contains("st2-api-key: " + Events.KEY), request);
        assertTrue(request.contains("\"password\":\"enc:v1:"), request);
        assertFalse(request.contains("pw-in-clear"), request);
    }

    @Test
    void shouldRenderTheGivenTriggerInstanceEvenWhenItIsNotTheNewestNorMatched() {
        String trigger = Events.newTriggerType();
        String ruleId = Events.createRule(trigger, "{\"trigger.kind\": {\"type\": \"equals\", \"pattern\": \"build\"}}",
                "{\"url\": \"https://ci.example.com/{{ trigger.branch }}\"}");
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        // The chosen instance is older than a matching one and does not match the criteria itself.
        String chosen = instance(trigger, now.minusSeconds(60), "deploy", "chosen-" + run);
        String newer = instance(trigger, now.minusSeconds(30), "build", "newer-" + run);
        String otherTrigger = instance(Events.newTriggerType(), now, "build", "other-" + run);
        for (String instance : List.of(chosen, newer, otherTrigger)) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> api().get("/api/v1/triggerinstances/" + instance).statusCode() == 200);
        }

        // The stand-in answers 200 without a result (502 here); what matters is the request it was sent.
        api().queryParam("triggerInstance", chosen).post("/api/v1/rules/" + ruleId + "/execute").then().statusCode(502);
        await().atMost(Duration.ofSeconds(30)).until(() -> !requestsOf(run).isEmpty());
        List<String> sent = requestsOf(run);
        assertEquals(1, sent.size(), "one request per execute: " + sent);
        assertTrue(sent.get(0).contains("\"url\":\"https://ci.example.com/chosen-" + run + "\""), sent.get(0));

        api().queryParam("triggerInstance", otherTrigger).post("/api/v1/rules/" + ruleId + "/execute").then()
                .statusCode(422).body("error", equalTo("trigger_mismatch"))
                .body("message", containsString(trigger));
        api().queryParam("triggerInstance", UUID.randomUUID().toString()).post("/api/v1/rules/" + ruleId + "/execute")
                .then().statusCode(404).body("message", containsString("no trigger instance"));
        assertEquals(1, requestsOf(run).size(), "refused executes send nothing: " + requestsOf(run));
    }

    /** Publishes an st2 trigger instance received at the given time and answers its id. */
    private static String instance(String trigger, Instant receivedAt, String kind, String branch) {
        String id = UUID.randomUUID().toString();
        Events.publish(Events.triggerEvent(Events.ORG, id, trigger, receivedAt,
                "{\"kind\": \"%s\", \"branch\": \"%s\"}".formatted(kind, branch), 0));
        return id;
    }

    /** The requests the stand-in received that carry this run's marker. */
    private static List<String> requestsOf(String run) {
        return Arrays.stream(DeliveryStandIn.received().split(DeliveryStandIn.SEPARATOR))
                .filter(request -> request.contains(run)).toList();
    }

    @Test
    void shouldReportMissingValuesWhenOnlyThePlaceholderIsAvailable() {
        String trigger = Events.newTriggerType();
        String ruleId = Events.createRule(trigger, "{}", "{\"url\": \"https://ci.example.com/{{ trigger.branch }}\"}");
        api().post("/api/v1/rules/" + ruleId + "/execute").then().statusCode(422)
                .body("error", equalTo("missing_values"))
                .body("message", containsString("placeholder"))
                .body("message", containsString("trigger.branch"));
        api().post("/api/v1/rules/no.such_rule/execute").then().statusCode(404);
    }

    @Test
    void shouldAnswerServiceUnavailableWhenDeliveryCannotBeReached() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        DeliveryClient client = new DeliveryClient(org.eclipse.microprofile.rest.client.RestClientBuilder.newBuilder()
                .baseUri(java.net.URI.create("http://127.0.0.1:" + closedPort)).build(DeliveryApi.class),
                new com.fasterxml.jackson.databind.ObjectMapper());
        io.hookflow.common.error.ApiException refused = org.junit.jupiter.api.Assertions.assertThrows(
                io.hookflow.common.error.ApiException.class,
                () -> client.send(new io.hookflow.common.event.OutboundRequest("POST", "https://x.example.com/", null, null,
                        null, null, null, null), Events.KEY, null));
        org.junit.jupiter.api.Assertions.assertEquals(503, refused.status());
        org.junit.jupiter.api.Assertions.assertEquals("delivery_unavailable", refused.body().error());
    }
}
