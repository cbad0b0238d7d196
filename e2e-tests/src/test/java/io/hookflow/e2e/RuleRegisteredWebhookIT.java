package io.hookflow.e2e;

import static io.hookflow.e2e.HookflowSystem.KEY;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookflow.stack.RecordedRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * StackStorm's custom webhooks across the services: a rule on {@code core.st2.webhook} with a url registers that
 * webhook at ingest (through the rule-changes topic), a request to it is matched on its headers and body, and
 * disabling the rule takes the webhook away again.
 */
@ExtendWith(HookflowSystem.class)
class RuleRegisteredWebhookIT {

    final HookflowSystem system = HookflowSystem.get();

    @Test
    void shouldServeAWebhookOnlyWhileTheRuleThatRegistersItIsEnabled() {
        String rule = """
                name: on_push
                pack: e2e_github
                enabled: true
                trigger:
                  type: core.st2.webhook
                  parameters:
                    url: /github/push/
                criteria:
                  trigger.headers.x-github-event:
                    type: equals
                    pattern: push
                  trigger.body.ref:
                    type: startswith
                    pattern: refs/heads/
                action:
                  ref: core.http
                  parameters:
                    url: %s
                    method: POST
                    body: "{{ trigger.body.repository.name }} {{ trigger.body.ref }}"
                """.formatted(system.sink().url("/github/notified"));
        long created = System.nanoTime();
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/yaml")
                .body(rule.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/rules")
                .then().statusCode(201);

        String push = "{\"ref\": \"refs/heads/main\", \"repository\": {\"name\": \"hookflow\"}}";
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> fire("github/push", push, "push").then().statusCode(202));
        // Reported, not asserted: the 1 s propagation target is a measurement (includes Awaitility's 100 ms polling).
        System.out.printf("rule-registered webhook answered %d ms after the rule was created%n",
                (System.nanoTime() - created) / 1_000_000);
        fire("github/push", push, "issues").then().statusCode(202);

        RecordedRequest received = system.sink().awaitRequestTo("/github/notified", Duration.ofSeconds(60));
        assertEquals("hookflow refs/heads/main", received.body());

        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).post("/api/v1/rules/e2e_github.on_push/disable")
                .then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> fire("github/push", push, "ping").then().statusCode(404));
        assertEquals(1, system.sink().requestsTo("/github/notified").size(), "only the push event while enabled matched");
    }

    private io.restassured.response.Response fire(String url, String body, String event) {
        return given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY).header("X-GitHub-Event", event)
                .contentType("application/json").body(body)
                .post("/api/v1/webhooks/" + url);
    }
}
