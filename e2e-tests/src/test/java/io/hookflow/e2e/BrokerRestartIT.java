package io.hookflow.e2e;

import static io.hookflow.e2e.HookflowSystem.KEY;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Webhooks accepted just before the broker restarts all reach the target, once each, and the three services carry on
 * after it without being restarted themselves.
 */
@ExtendWith(HookflowSystem.class)
class BrokerRestartIT {

    static final int BEFORE = 20;
    static final int AFTER = 5;

    final HookflowSystem system = HookflowSystem.get();

    @Test
    void shouldDeliverEveryAcceptedWebhookAcrossABrokerRestart() {
        String rule = """
                {"name": "across_restart", "pack": "e2e", "enabled": true,
                 "trigger": {"type": "e2e.restart"},
                 "action": {"ref": "core.http", "parameters": {
                     "url": "%s?n={{ trigger.n }}", "method": "POST", "body": "{{ trigger.n }}"}}}
                """.formatted(system.sink().url("/hooks/restart"));
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/json").body(rule)
                .post("/api/v1/rules")
                .then().statusCode(201);

        List<String> accepted = new ArrayList<>();
        for (int n = 0; n < BEFORE; n++) {
            accepted.add(fire(n));
        }
        // Some of them are still between ingest, rules and delivery when the broker goes.
        system.restartBroker();

        // The services reconnect on their own; until ingest has, it answers 503 and accepts nothing.
        for (int n = BEFORE; n < BEFORE + AFTER; n++) {
            int number = n;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> tryFire(number) != null);
        }

        await().atMost(Duration.ofSeconds(120)).until(() -> received().size() == BEFORE + AFTER);
        assertEquals(BEFORE + AFTER, system.sink().requestsTo("/hooks/restart").size(), "each one exactly once");
    }

    private Set<String> received() {
        Set<String> numbers = new HashSet<>();
        system.sink().requestsTo("/hooks/restart").forEach(request -> numbers.add(request.body()));
        return numbers;
    }

    private String fire(int n) {
        String id = tryFire(n);
        if (id == null) {
            throw new AssertionError("webhook " + n + " was not accepted before the restart");
        }
        return id;
    }

    /** The trigger instance id if ingest accepted the webhook (202), null if it could not (503). */
    private String tryFire(int n) {
        var response = given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY).contentType("application/json")
                .body("{\"trigger\": \"e2e.restart\", \"payload\": {\"n\": " + n + "}}")
                .post("/api/v1/webhooks/st2");
        if (response.statusCode() == 503) {
            return null;
        }
        assertEquals(202, response.statusCode(), response.asString());
        return response.path("id");
    }
}
