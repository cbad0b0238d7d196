package io.hookflow.e2e;

import static io.hookflow.e2e.HookflowSystem.KEY;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Nothing accepted is lost when a delivery replica dies mid-attempt: kill -9 while the target holds the request
 * open, and the replica that replaces it takes the execution over once the dead one's lease expires, delivering it.
 */
@ExtendWith(HookflowSystem.class)
class CrashTakeoverIT {

    final HookflowSystem system = HookflowSystem.get();

    @AfterEach
    void answerTheHeldRequest() {
        system.sink().releaseHeld();
    }

    /** The classes after this one get a system that works end to end with the new replica, whatever their order. */
    @AfterAll
    static void restore() {
        HookflowSystem.get().awaitRecovered();
    }

    @Test
    void shouldDeliverAfterTheReplicaHoldingTheAttemptIsKilled() {
        system.sink().hold("/crash/hook", 1);
        String rule = """
                {"name": "survive_crash", "pack": "e2e_crash", "enabled": true,
                 "trigger": {"type": "e2e.crash"},
                 "action": {"ref": "core.http", "parameters": {"url": "%s", "method": "POST", "body": "{{ trigger.n }}"}}}
                """.formatted(system.sink().url("/crash/hook"));
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/json").body(rule)
                .post("/api/v1/rules")
                .then().statusCode(201);

        String triggerInstance = given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY)
                .contentType("application/json").body("{\"trigger\": \"e2e.crash\", \"payload\": {\"n\": \"42\"}}")
                .post("/api/v1/webhooks/st2")
                .then().statusCode(202).extract().path("id");

        // The attempt is in flight (the target holds it open): now the replica dies without any chance to clean up.
        system.sink().awaitRequestTo("/crash/hook", Duration.ofSeconds(60));
        system.crashAndReplaceDelivery();

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY)
                        .queryParam("triggerInstance", triggerInstance)
                        .get("/api/v1/executions")
                        .then().statusCode(200)
                        .body("items", hasSize(1))
                        .body("items[0].status", equalTo("SUCCEEDED")));
        // Counted once nothing is left to do, so a third request sent late would be seen.
        system.awaitQuiet(List.of(triggerInstance));
        assertEquals(2, system.sink().requestsTo("/crash/hook").size(),
                "the abandoned attempt and the one that took over, nothing more");
        assertEquals("42", system.sink().requestsTo("/crash/hook").get(1).body());
    }
}
