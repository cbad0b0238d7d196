package io.hookflow.rules.compare;

import static io.hookflow.rules.support.Events.api;
import static io.hookflow.rules.support.Events.newTriggerType;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.in;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookflow.common.auth.Tokens;
import io.hookflow.rules.support.Enforcement;
import io.hookflow.rules.support.Events;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/rules/compare}: what a live rule and a shadow rule on the same trigger matched, counted from their
 * recorded enforcements on the real broker and database; refused with the error body for bad input and for another
 * organisation's rule.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class RuleComparisonTest {

    @Test
    void shouldCountWhatBothOnlyAAndOnlyBMatchedAndListTheInstances() {
        Instant since = Instant.now().minusSeconds(5);
        String trigger = newTriggerType();
        String pack = "p" + UUID.randomUUID().toString().substring(0, 8);
        String live = rule(pack, "current", "live", trigger, "red|blue");
        String shadow = rule(pack, "candidate", "shadow", trigger, "blue|green");
        Map<String, String> instances = new java.util.LinkedHashMap<>();
        List<RecordMetadata> published = new ArrayList<>();
        for (String color : List.of("red", "blue", "blue", "green", "yellow")) {
            String instance = UUID.randomUUID().toString();
            instances.put(instance, color);
            published.add(Events.publish(Events.st2Event(instance, trigger, "{\"color\": \"" + color + "\"}", 0)));
        }
        Enforcement.awaitCommittedPast(published);
        List<String> blue = ids(instances, "blue");

        JsonPath comparison = api().queryParam("a", pack + ".current").queryParam("b", shadow)
                .queryParam("since", since.toString()).get("/api/v1/rules/compare")
                .then().statusCode(200)
                .body("a.id", equalTo(live)).body("a.mode", equalTo("live"))
                .body("b.ref", equalTo(pack + ".candidate")).body("b.mode", equalTo("shadow"))
                .body("counts.both", equalTo(2)).body("counts.onlyA", equalTo(1)).body("counts.onlyB", equalTo(1))
                .body("counts.a", equalTo(3)).body("counts.b", equalTo(3))
                .body("both", containsInAnyOrder(blue.toArray()))
                .body("onlyA", equalTo(ids(instances, "red")))
                .body("onlyB", equalTo(ids(instances, "green")))
                .extract().jsonPath();
        assertEquals(50, comparison.getInt("limit"));

        // The lists are capped at limit; the counts stay complete.
        api().queryParam("a", live).queryParam("b", shadow).queryParam("since", since.toString()).queryParam("limit", "1")
                .get("/api/v1/rules/compare").then().statusCode(200)
                .body("counts.both", equalTo(2)).body("both", hasSize(1)).body("both[0]", in(blue));
        // A range before the events holds nothing.
        api().queryParam("a", live).queryParam("b", shadow).queryParam("until", since.toString())
                .get("/api/v1/rules/compare").then().statusCode(200)
                .body("counts.a", equalTo(0)).body("counts.b", equalTo(0)).body("both", hasSize(0));
    }

    @Test
    void shouldRefuseMissingOrInvalidParametersWithTheErrorBody() {
        String trigger = newTriggerType();
        String pack = "p" + UUID.randomUUID().toString().substring(0, 8);
        String a = rule(pack, "a", "live", trigger, "x");
        String b = rule(pack, "b", "shadow", trigger, "x");

        api().get("/api/v1/rules/compare").then().statusCode(400).body("error", equalTo("validation_failed"))
                .body("details.path", containsInAnyOrder("a", "b"));
        api().queryParam("a", a).queryParam("b", b).queryParam("since", "yesterday").queryParam("limit", "0")
                .get("/api/v1/rules/compare").then().statusCode(400)
                .body("details.path", containsInAnyOrder("since", "limit"));
        api().queryParam("a", a).queryParam("b", b).queryParam("since", "2026-02-01T00:00:00Z")
                .queryParam("until", "2026-01-01T00:00:00Z").get("/api/v1/rules/compare").then().statusCode(400)
                .body("details.path", hasItem("since"));
        api().queryParam("a", a).queryParam("b", b).queryParam("since", Instant.now().minus(40, ChronoUnit.DAYS).toString())
                .get("/api/v1/rules/compare").then().statusCode(400).body("details[0].message", equalTo(
                        "the range may span at most 31 days; compare a shorter range"));
        api().queryParam("a", a).queryParam("b", pack + ".a").get("/api/v1/rules/compare").then().statusCode(400)
                .body("details[0].path", equalTo("b"));
        api().queryParam("a", a).queryParam("b", pack + ".nope").get("/api/v1/rules/compare").then().statusCode(404)
                .body("error", equalTo("not_found"));
    }

    @Test
    void shouldAnswerNotFoundForAnotherOrganisationsRules() {
        String otherOrg = "org-" + UUID.randomUUID().toString().substring(0, 8);
        String tokenKey = ConfigProvider.getConfig().getValue("hookflow.auth.token-key", String.class);
        String token = new Tokens(Optional.of(tokenKey)).issue(otherOrg, "compare-test", Instant.now().plusSeconds(600));
        String trigger = newTriggerType();
        String pack = "p" + UUID.randomUUID().toString().substring(0, 8);
        String ours = rule(pack, "ours", "live", trigger, "x");
        String theirs = given().header("X-Auth-Token", token).contentType("application/json")
                .body(ruleJson(pack, "theirs", "shadow", trigger, "x")).post("/api/v1/rules")
                .then().statusCode(201).extract().path("id");
        String theirsToo = given().header("X-Auth-Token", token).contentType("application/json")
                .body(ruleJson(pack, "theirs_too", "live", trigger, "x")).post("/api/v1/rules")
                .then().statusCode(201).extract().path("id");

        // By id and by ref; one of ours beside one of theirs is as unknown as two of theirs.
        for (String[] pair : List.of(new String[] {ours, theirs}, new String[] {theirs, ours},
                new String[] {pack + ".theirs", pack + ".theirs_too"}, new String[] {theirs, theirsToo})) {
            api().queryParam("a", pair[0]).queryParam("b", pair[1]).get("/api/v1/rules/compare")
                    .then().statusCode(404).body("error", equalTo("not_found"));
        }
        // The owner compares them.
        given().header("X-Auth-Token", token).queryParam("a", theirs).queryParam("b", theirsToo)
                .get("/api/v1/rules/compare").then().statusCode(200).body("counts.both", equalTo(0));
    }

    private static String rule(String pack, String name, String mode, String trigger, String colors) {
        return api().body(ruleJson(pack, name, mode, trigger, colors)).post("/api/v1/rules")
                .then().statusCode(201).extract().path("id");
    }

    private static String ruleJson(String pack, String name, String mode, String trigger, String colors) {
        return """
                {"name": "%s", "pack": "%s", "mode": "%s", "trigger": {"type": "%s"},
                 "criteria": {"trigger.color": {"type": "matchregex", "pattern": "^(%s)$"}},
                 "action": {"ref": "core.http", "parameters": {"url": "https://x.example.com/%s"}}}"""
                .formatted(name, pack, mode, trigger, colors, name);
    }

    private static List<String> ids(Map<String, String> instances, String color) {
        return instances.entrySet().stream().filter(e -> e.getValue().equals(color)).map(Map.Entry::getKey).toList();
    }
}
