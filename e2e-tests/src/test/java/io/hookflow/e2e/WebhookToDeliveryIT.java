package io.hookflow.e2e;

import static io.hookflow.e2e.HookflowSystem.KEY;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookflow.stack.RecordedRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The walking skeleton as a user runs it: a webhook goes in at ingest and comes out, rendered, at the target. */
@ExtendWith(HookflowSystem.class)
class WebhookToDeliveryIT {

    final HookflowSystem system = HookflowSystem.get();

    @Test
    void shouldDeliverTheRenderedRequestForAMatchingWebhook() {
        String rule = """
                {"name": "notify_ci", "pack": "e2e", "enabled": true,
                 "trigger": {"type": "mypack.mytrigger"},
                 "criteria": {"trigger.body.payload.attribute1": {"type": "equals", "pattern": "value1"}},
                 "action": {"ref": "core.http", "parameters": {
                     "url": "%s?branch={{ trigger.payload.branch }}",
                     "method": "POST",
                     "headers": {"Content-Type": "application/json"},
                     "body": {"attribute": "{{ trigger.attribute1 }}", "published": "${trigger.payload.branch}"}}}}
                """.formatted(system.sink().url("/hooks/ci"));
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/json").body(rule)
                .post("/api/v1/rules")
                .then().statusCode(201);

        // A webhook the rule does not match goes nowhere.
        fireWebhook("{\"trigger\": \"mypack.mytrigger\", \"payload\": {\"attribute1\": \"other\", \"branch\": \"dev\"}}");
        String triggerInstance = fireWebhook(
                "{\"trigger\": \"mypack.mytrigger\", \"payload\": {\"attribute1\": \"value1\", \"branch\": \"feature/x y\"}}");

        RecordedRequest received = system.sink().awaitRequestTo("/hooks/ci", Duration.ofSeconds(60));
        assertEquals("POST", received.method());
        assertEquals("/hooks/ci?branch=feature%2Fx+y", received.path());
        assertEquals("{\"attribute\":\"value1\",\"published\":\"feature/x y\"}", received.body());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY)
                        .queryParam("triggerInstance", triggerInstance)
                        .get("/api/v1/executions")
                        .then().statusCode(200)
                        .body("items", hasSize(1))
                        .body("items[0].status", equalTo("SUCCEEDED"))
                        .body("items[0].ruleRef", equalTo("e2e.notify_ci")));
        assertEquals(1, system.sink().requestsTo("/hooks/ci").size(), "only the matching webhook is delivered");
    }

    private String fireWebhook(String body) {
        return given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY).contentType("application/json").body(body)
                .post("/api/v1/webhooks/st2")
                .then().statusCode(202)
                .extract().path("id");
    }
}
