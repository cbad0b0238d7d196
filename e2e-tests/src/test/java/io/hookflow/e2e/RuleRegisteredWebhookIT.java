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

    @Test
    void shouldFireOnlyTheRulesOfTheUrlAWebhookArrivesAt() {
        String hookRule = urlRule("via_hook", "e2e/urls/hook", "/urls/hook");
        String otherRule = urlRule("via_other", "e2e/urls/other", "/urls/other");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            fire("e2e/urls/hook", "{\"id\": \"h0\"}", "push").then().statusCode(202);
            fire("e2e/urls/other", "{\"id\": \"o0\"}", "push").then().statusCode(202);
        });
        java.util.List<String> hookInstances = new java.util.ArrayList<>();
        java.util.List<String> otherInstances = new java.util.ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            hookInstances.add(fire("e2e/urls/hook", "{\"id\": \"h" + i + "\"}", "push").then().statusCode(202)
                    .extract().path("id"));
            otherInstances.add(fire("e2e/urls/other", "{\"id\": \"o" + i + "\"}", "push").then().statusCode(202)
                    .extract().path("id"));
        }

        // Each instance's enforcements are recorded with the instance itself: once it is there, they are complete.
        for (String instance : hookInstances) {
            assertEquals(java.util.List.of(hookRule), enforcedRules(instance), "webhook at e2e/urls/hook, instance " + instance);
        }
        for (String instance : otherInstances) {
            assertEquals(java.util.List.of(otherRule), enforcedRules(instance), "webhook at e2e/urls/other, instance " + instance);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> system.sink().requestsTo("/urls/hook").size() >= 4
                && system.sink().requestsTo("/urls/other").size() >= 4);
        assertEquals(java.util.Set.of("h0-via-hook", "h1-via-hook", "h2-via-hook", "h3-via-hook"),
                system.sink().requestsTo("/urls/hook").stream().map(RecordedRequest::body).collect(java.util.stream.Collectors.toSet()));
        assertEquals(java.util.Set.of("o0-via-other", "o1-via-other", "o2-via-other", "o3-via-other"),
                system.sink().requestsTo("/urls/other").stream().map(RecordedRequest::body).collect(java.util.stream.Collectors.toSet()));
    }

    private String urlRule(String name, String url, String target) {
        String rule = """
                {"name": "%s", "pack": "e2e_urls", "trigger": {"type": "core.st2.webhook", "parameters": {"url": "%s"}},
                 "action": {"ref": "core.http", "parameters": {"url": "%s", "method": "POST",
                   "body": "{{ trigger.body.id }}-%s"}}}""".formatted(name, url, system.sink().url(target), name.replace('_', '-'));
        return given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/json").body(rule)
                .post("/api/v1/rules").then().statusCode(201).extract().path("id");
    }

    /** The rules enforced for a trigger instance, once rules-service has recorded it. */
    private java.util.List<String> enforcedRules(String instance) {
        await().atMost(Duration.ofSeconds(30)).until(() -> given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY)
                .get("/api/v1/triggerinstances/" + instance).statusCode() == 200);
        return given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).queryParam("triggerInstance", instance)
                .get("/api/v1/ruleenforcements").then().statusCode(200).extract().jsonPath().getList("items.ruleId");
    }

    private io.restassured.response.Response fire(String url, String body, String event) {
        return given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY).header("X-GitHub-Event", event)
                .contentType("application/json").body(body)
                .post("/api/v1/webhooks/" + url);
    }
}
