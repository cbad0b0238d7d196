package io.hookflow.rules.execute;

import static io.hookflow.rules.support.Events.api;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.rules.support.Events;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** POST /api/v1/rules/{ref}/execute through the REST client, against a local stand-in for delivery-service. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = DeliveryStandIn.class, restrictToAnnotatedClass = true)
class ExecuteRuleTest {


    @Test
    void shouldSendTheRequestRenderedFromTheLatestMatchingInstanceWithTheCallersKey() throws Exception {
        String trigger = Events.newTriggerType();
        String ruleId = Events.createRule(trigger, "{\"trigger.kind\": {\"type\": \"equals\", \"pattern\": \"build\"}}",
                "{\"url\": \"https://ci.example.com/{{ trigger.branch }}\", \"password\": \"pw-in-clear\"}");
        String older = Events.publishSt2Event(trigger, "{\"kind\": \"build\", \"branch\": \"older\"}");
        String newest = Events.publishSt2Event(trigger, "{\"kind\": \"build\", \"branch\": \"newest\"}");
        Events.publishSt2Event(trigger, "{\"kind\": \"deploy\", \"branch\": \"unmatched\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> api().queryParam("trigger", trigger).get("/api/v1/triggerinstances")
                .then().extract().<java.util.List<?>>path("items").size() == 3);
        assertNotNull(older);
        assertNotNull(newest);

        // The stand-in answers 200 without the result body delivery gives: the client reports that clearly.
        api().post("/api/v1/rules/" + ruleId + "/execute").then().statusCode(502)
                .body("error", equalTo("bad_gateway"))
                .body("message", containsString("without a result"));

        await().atMost(Duration.ofSeconds(10)).until(() -> DeliveryStandIn.received().contains("ci.example.com/newest"));
        String request = java.util.Arrays.stream(DeliveryStandIn.received().split(DeliveryStandIn.SEPARATOR))
                .filter(r -> r.contains("ci.example.com/newest")).findFirst().orElseThrow();
        assertTrue(request.startsWith("POST /api/v1/test-deliveries\n"), request);
        assertTrue(request.contains("st2-api-key: " + Events.KEY), request);
        assertTrue(request.contains("\"url\":\"https://ci.example.com/newest\""), request);
        assertTrue(request.contains("\"password\":\"enc:v1:"), request);
        assertFalse(request.contains("pw-in-clear"), request);
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
