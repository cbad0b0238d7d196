package io.hookflow.rules.enforcement;

import static io.hookflow.rules.support.Events.api;
import static io.hookflow.rules.support.Events.newTriggerType;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.crypto.SecretCipher;
import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.rules.support.Enforcement;
import io.hookflow.rules.support.Events;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * Shadow rules ({@code mode: shadow}) on the real broker and database: evaluated and rendered as a live rule on the same
 * trigger, their enforcement recorded with the request, and nothing of theirs on action-tasks.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class ShadowRuleEnforcementTest {

    @Inject
    SecretCipher cipher;

    @Test
    void shouldRecordTheShadowRulesRequestAndPublishOnlyTheLiveTwinsTask() throws Exception {
        String prefix = "s" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String token = "tok-" + UUID.randomUUID();
        api().body("{\"value\": \"" + token + "\", \"secret\": true}").put("/api/v1/keys/" + prefix + "_token")
                .then().statusCode(200);
        String trigger = newTriggerType();
        String parameters = """
                {"url": "https://ci.example.com/build/{{ trigger.branch }}", "method": "POST",
                 "headers": {"Authorization": "Bearer {{ st2kv.system.%s_token | decrypt_kv }}"},
                 "body": {"branch": "{{ trigger.branch }}"}, "username": "bot", "password": "pw-plain"}"""
                .formatted(prefix);
        String live = rule(trigger, "live", parameters);
        String shadow = rule(trigger, "shadow", parameters);
        api().get("/api/v1/rules/" + shadow).then().statusCode(200).body("mode", equalTo("shadow"));
        api().get("/api/v1/rules/" + live).then().statusCode(200).body("mode", equalTo("live"));
        api().queryParam("triggerType", trigger).queryParam("mode", "shadow").get("/api/v1/rules").then().statusCode(200)
                .body("id", equalTo(List.of(shadow)));
        String instance = UUID.randomUUID().toString();

        RecordMetadata published = Events.publish(Events.st2Event(instance, trigger, "{\"branch\": \"main\"}", 0));

        // Committed past the event: every task it produced is on action-tasks, so a shadow task would be read below.
        Enforcement.awaitCommittedPast(List.of(published));
        List<ActionTask> tasks = Enforcement.tasksOf(Set.of(instance));
        assertEquals(List.of(live), tasks.stream().map(ActionTask::ruleId).distinct().toList(),
                "only the live rule's task is published");
        OutboundRequest sent = tasks.get(0).request();

        JsonPath enforcements = api().queryParam("triggerInstance", instance).get("/api/v1/ruleenforcements")
                .then().statusCode(200).extract().jsonPath();
        Map<String, Object> shadowed = byRule(enforcements, shadow);
        Map<String, Object> succeeded = byRule(enforcements, live);
        assertEquals("shadowed", shadowed.get("status"));
        assertNull(shadowed.get("executionId"), "a shadowed enforcement produced no execution");
        assertEquals("succeeded", succeeded.get("status"));
        assertNull(succeeded.get("request"), "a live enforcement's request is delivery-service's record");

        // The same rendering as the live twin: url, method, body, and the same sealed placeholder scheme.
        @SuppressWarnings("unchecked")
        Map<String, Object> request = (Map<String, Object>) shadowed.get("request");
        assertEquals(sent.url(), request.get("url"));
        assertEquals(sent.method(), request.get("method"));
        assertEquals(sent.body(), request.get("body"));
        @SuppressWarnings("unchecked")
        String authorization = ((Map<String, String>) request.get("headers")).get("Authorization");
        assertTrue(authorization.startsWith("Bearer " + OutboundRequest.SEALED_PREFIX), authorization);
        assertEquals("********", request.get("password"));
        @SuppressWarnings("unchecked")
        Map<String, String> sealed = (Map<String, String>) request.get("sealedValues");
        assertEquals(Map.of(authorization.substring("Bearer ".length()), "********"), sealed);
        String answer = api().get("/api/v1/ruleenforcements/" + shadowed.get("id")).then().statusCode(200)
                .body("status", equalTo("shadowed")).extract().asString();
        assertFalse(answer.contains(token) || answer.contains("pw-plain"), answer);
        // The live twin's task carries the same secrets sealed: what the shadow records is what would have gone out.
        assertEquals(token, cipher.decrypt(sent.sealedValues().values().iterator().next()));
        api().get("/api/v1/triggerinstances/" + instance).then().statusCode(200).body("status", equalTo("processed"));
    }

    @Test
    void shouldPublishNothingAndLeaveTheInstanceUnmatchedWhenOnlyAShadowRuleMatches() {
        Map<String, Object> enforcement = shadowOnlyEnforcement("{\"url\": \"https://x.example.com/shadow\"}");

        assertEquals("shadowed", enforcement.get("status"));
        assertEquals("https://x.example.com/shadow", ((Map<?, ?>) enforcement.get("request")).get("url"));
    }

    @Test
    void shouldRecordAShadowRulesRenderingFailureWithoutFailingTheInstance() {
        Map<String, Object> enforcement = shadowOnlyEnforcement("{\"url\": \"https://x.example.com/{{ trigger.missing }}\"}");

        assertEquals("failed", enforcement.get("status"));
        assertTrue(((String) enforcement.get("failureReason")).contains("missing"), enforcement.toString());
    }

    @Test
    void shouldSendOnceARuleIsSwitchedFromShadowToLive() {
        String trigger = newTriggerType();
        String name = "r" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String yaml = """
                name: %s
                pack: it
                mode: shadow
                trigger:
                  type: %s
                action:
                  ref: core.http
                  parameters:
                    url: https://x.example.com/switched
                """.formatted(name, trigger);
        String id = given().header("St2-Api-Key", Events.KEY).contentType("application/yaml")
                .body(yaml.getBytes(StandardCharsets.UTF_8)).post("/api/v1/rules")
                .then().statusCode(201).body("mode", equalTo("shadow")).extract().path("id");
        String before = UUID.randomUUID().toString();
        RecordMetadata first = Events.publish(Events.st2Event(before, trigger, "{}", 0));
        Enforcement.awaitCommittedPast(List.of(first));

        given().header("St2-Api-Key", Events.KEY).contentType("application/yaml")
                .body(yaml.replace("mode: shadow", "mode: live").getBytes(StandardCharsets.UTF_8)).put("/api/v1/rules/" + id)
                .then().statusCode(200).body("mode", equalTo("live"));
        api().get("/api/v1/rules").then().statusCode(200).body("find { it.id == '%s' }.mode".formatted(id), equalTo("live"));
        String after = UUID.randomUUID().toString();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            // The index picks the change up within a poll; an event before that is still shadowed, so send until one fires.
            Events.publish(Events.st2Event(after + "-" + UUID.randomUUID(), trigger, "{}", 0));
            return !tasksOfTrigger(id).isEmpty();
        });
        assertEquals(List.of(), Enforcement.tasksOf(Set.of(before)), "the event seen in shadow mode sent nothing");
    }

    @Test
    void shouldRefuseAnUnknownModeWithTheErrorBody() {
        String trigger = newTriggerType();
        for (String mode : List.of("\"dark\"", "\"LIVE\"", "true", "1", "{}")) {
            api().body("""
                    {"name": "m%s", "pack": "it", "mode": %s, "trigger": {"type": "%s"},
                     "action": {"ref": "core.http", "parameters": {"url": "https://x.example.com/m"}}}"""
                            .formatted(UUID.randomUUID().toString().substring(0, 8), mode, trigger))
                    .post("/api/v1/rules")
                    .then().statusCode(400).body("error", equalTo("validation_failed"))
                    .body("details.path", hasItem("mode"));
        }
        api().queryParam("mode", "dark").get("/api/v1/rules").then().statusCode(400)
                .body("error", equalTo("validation_failed")).body("details[0].path", equalTo("mode"));
    }

    private static String rule(String trigger, String mode, String parameters) {
        String name = "r" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return api().body("{\"name\": \"%s\", \"pack\": \"it\", \"mode\": \"%s\", \"trigger\": {\"type\": \"%s\"}, "
                        .formatted(name, mode, trigger)
                        + "\"action\": {\"ref\": \"core.http\", \"parameters\": " + parameters + "}}")
                .post("/api/v1/rules").then().statusCode(201).body("mode", equalTo(mode)).extract().path("id");
    }

    /**
     * Publishes one event that only a new shadow rule with these action parameters listens to, checks that nothing
     * was published and that the instance reads as if no rule had matched (shadow rules observe), and answers the
     * shadow rule's enforcement.
     */
    private static Map<String, Object> shadowOnlyEnforcement(String parameters) {
        String trigger = newTriggerType();
        String shadow = rule(trigger, "shadow", parameters);
        String instance = UUID.randomUUID().toString();

        RecordMetadata published = Events.publish(Events.st2Event(instance, trigger, "{}", 0));

        Enforcement.awaitCommittedPast(List.of(published));
        assertEquals(List.of(), Enforcement.tasksOf(Set.of(instance)), "a shadow rule publishes nothing");
        api().get("/api/v1/triggerinstances/" + instance).then().statusCode(200).body("status", equalTo("no_rule_matched"));
        return byRule(api().queryParam("triggerInstance", instance).get("/api/v1/ruleenforcements")
                .then().statusCode(200).extract().jsonPath(), shadow);
    }

    private static Map<String, Object> byRule(JsonPath enforcements, String ruleId) {
        List<Map<String, Object>> items = enforcements.getList("items");
        return items.stream().filter(item -> ruleId.equals(item.get("ruleId"))).findFirst()
                .orElseThrow(() -> new AssertionError("no enforcement of rule " + ruleId + " in " + items));
    }

    private static List<ActionTask> tasksOfTrigger(String ruleId) {
        return io.hookflow.stack.testing.TopicReader.readAll(KafkaTestResource.broker().bootstrapServers(),
                        io.hookflow.common.event.Topics.ACTION_TASKS).stream()
                .map(Events::task).filter(task -> task.ruleId().equals(ruleId)).toList();
    }
}
