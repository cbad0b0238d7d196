package io.hookflow.e2e;

import static io.hookflow.e2e.HookflowSystem.KEY;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookflow.stack.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A shadow rule across the packaged services: beside a live rule on the same webhook url, it is matched and rendered
 * for every webhook and its enforcements carry the request it would have sent, but its target receives nothing while
 * the live twin's target receives every request; the comparison counts what each matched.
 */
@ExtendWith(HookflowSystem.class)
class ShadowRuleIT {

    final HookflowSystem system = HookflowSystem.get();

    @Test
    void shouldDeliverTheLiveRulesRequestsAndNothingOfTheShadowTwin() {
        Instant since = Instant.now().minusSeconds(5);
        rule("current", "live", "", "/shadow/live");
        rule("candidate", "shadow", """
                criteria:
                  trigger.body.kind:
                    type: equals
                    pattern: build
                """, "/shadow/candidate");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> fire("{\"id\": \"w0\", \"kind\": \"build\"}").then().statusCode(202));
        List<String> instances = new ArrayList<>();
        for (String[] webhook : List.of(new String[] {"w1", "build"}, new String[] {"w2", "deploy"},
                new String[] {"w3", "build"})) {
            instances.add(fire("{\"id\": \"%s\", \"kind\": \"%s\"}".formatted(webhook[0], webhook[1]))
                    .then().statusCode(202).extract().path("id"));
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> system.sink().requestsTo("/shadow/live").size() >= 4);
        assertEquals(Set.of("w0", "w1", "w2", "w3"), system.sink().requestsTo("/shadow/live").stream()
                .map(RecordedRequest::body).collect(Collectors.toSet()));
        // The shadow enforcements were recorded with the live ones, before their tasks went out; a shadow task, had
        // one been published, would have been delivered alongside. Give it a few seconds more all the same.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> system.sink().requestsTo("/shadow/candidate").isEmpty());

        Map<String, Object> shadowed = given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY)
                .queryParam("rule", "e2e_shadow.candidate").queryParam("triggerInstance", instances.get(0))
                .get("/api/v1/ruleenforcements").then().statusCode(200)
                .body("items[0].status", equalTo("shadowed"))
                .extract().jsonPath().getMap("items[0].request");
        assertEquals(system.sink().url("/shadow/candidate"), shadowed.get("url"));
        assertEquals("w1", shadowed.get("body"));

        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY)
                .queryParam("a", "e2e_shadow.current").queryParam("b", "e2e_shadow.candidate")
                .queryParam("since", since.toString())
                .get("/api/v1/rules/compare").then().statusCode(200)
                .body("counts.both", equalTo(3)).body("counts.onlyA", equalTo(1)).body("counts.onlyB", equalTo(0))
                .body("onlyA", equalTo(List.of(instances.get(1))));
    }

    private void rule(String name, String mode, String criteria, String target) {
        String rule = """
                name: %s
                pack: e2e_shadow
                mode: %s
                trigger:
                  type: core.st2.webhook
                  parameters:
                    url: e2e/shadow
                %saction:
                  ref: core.http
                  parameters:
                    url: %s
                    method: POST
                    body: "{{ trigger.body.id }}"
                """.formatted(name, mode, criteria, system.sink().url(target));
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/yaml")
                .body(rule.getBytes(StandardCharsets.UTF_8)).post("/api/v1/rules")
                .then().statusCode(201).body("mode", equalTo(mode));
    }

    private io.restassured.response.Response fire(String body) {
        return given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY).contentType("application/json").body(body)
                .post("/api/v1/webhooks/e2e/shadow");
    }
}
