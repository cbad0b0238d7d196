package io.hookflow.e2e;

import static io.hookflow.e2e.HookflowSystem.KEY;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookflow.stack.RecordedRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Pact Broker's "test a webhook" across two services: rules-service renders the rule's request from the latest
 * matching trigger instance of the caller's organisation and delivery-service sends it once, through the same guard
 * and signing as a delivery, answering with the redacted request and the target's response.
 */
@ExtendWith(HookflowSystem.class)
class ExecuteNowIT {

    final HookflowSystem system = HookflowSystem.get();

    @Test
    void shouldSendTheRulesRequestOnceAndAnswerWithTheResponse() {
        system.sink().respondWith("/execute-now", 201);
        String rule = """
                {"name": "try_me", "pack": "e2e_execute", "enabled": false,
                 "trigger": {"type": "e2e.execute"},
                 "action": {"ref": "core.http", "parameters": {
                     "url": "%s", "method": "POST",
                     "headers": {"Authorization": "Bearer e2e-target-token"},
                     "body": "hello {{ trigger.who | default('nobody') }}"}}}
                """.formatted(system.sink().url("/execute-now/hook"));
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/json").body(rule)
                .post("/api/v1/rules")
                .then().statusCode(201);

        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY)
                .post("/api/v1/rules/e2e_execute.try_me/execute")
                .then().statusCode(200)
                .body("error", nullValue())
                .body("response.status", equalTo(201))
                .body("request.url", equalTo(system.sink().url("/execute-now/hook")))
                .body("request.headers.Authorization", org.hamcrest.Matchers.not(equalTo("Bearer e2e-target-token")));

        RecordedRequest received = system.sink().awaitRequestTo("/execute-now/hook", Duration.ofSeconds(30));
        assertEquals("hello nobody", received.body());
        assertEquals("Bearer e2e-target-token", received.headers().get("authorization"));
        assertEquals(1, system.sink().requestsTo("/execute-now").size());
    }

    @Test
    void shouldRenderFromTheCallersNewestMatchingTriggerInstanceAndDeliverThroughTheRealDeliveryService() {
        String rule = """
                {"name": "try_latest", "pack": "e2e_execute", "enabled": false,
                 "trigger": {"type": "e2e.execute_latest"},
                 "criteria": {"trigger.who": {"type": "iequals", "pattern": "first"}},
                 "action": {"ref": "core.http", "parameters": {
                     "url": "%s", "method": "POST", "body": "hello {{ trigger.who }}"}}}
                """.formatted(system.sink().url("/execute-latest/hook"));
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/json").body(rule)
                .post("/api/v1/rules")
                .then().statusCode(201);
        // Three instances, oldest first: the rule matches "first" and "FIRST"; the newest ("second") it does not.
        for (String who : new String[] {"first", "FIRST", "second"}) {
            fire(KEY, who);
        }
        // Newest of all: another organisation's instance of the same trigger type, which the rule would match too. It
        // is not the caller's, so it must not be rendered (nor even seen) by the caller's execute-now.
        fire(otherOrganisationsKey(), "First");

        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY)
                .post("/api/v1/rules/e2e_execute.try_latest/execute")
                .then().statusCode(200)
                .body("error", nullValue())
                .body("response.status", equalTo(200));

        // Sent by the real delivery-service, once, with the caller's newest matching instance's values.
        RecordedRequest received = system.sink().awaitRequestTo("/execute-latest/hook", Duration.ofSeconds(30));
        assertEquals("hello FIRST", received.body());
        assertEquals(1, system.sink().requestsTo("/execute-latest").size());
    }

    /** Fires the trigger through ingest and waits until rules-service has recorded it, so "newest" is no race. */
    private void fire(String key, String who) {
        String instance = given().baseUri(system.ingestUrl()).header("St2-Api-Key", key).contentType("application/json")
                .body("{\"trigger\": \"e2e.execute_latest\", \"payload\": {\"who\": \"" + who + "\"}}")
                .post("/api/v1/webhooks/st2").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().baseUri(system.rulesUrl()).header("St2-Api-Key", key)
                        .get("/api/v1/triggerinstances/" + instance).then().statusCode(200));
    }

    /** A key of another organisation, once rules-service knows it (from the api-keys topic). */
    private String otherOrganisationsKey() {
        String key = given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY).contentType("application/json")
                .body("{\"name\": \"execute-now neighbour\", \"orgId\": \"e2e-execute-neighbour\"}")
                .post("/api/v1/apikeys")
                .then().statusCode(201).extract().path("key");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().baseUri(system.rulesUrl()).header("St2-Api-Key", key).get("/api/v1/rules").then().statusCode(200));
        return key;
    }
}
