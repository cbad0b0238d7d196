package io.hookflow.rules.rule;

import static io.hookflow.rules.support.Events.api;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.hookflow.common.auth.Tokens;
import io.hookflow.common.event.RuleChange;
import io.hookflow.common.event.Topics;
import io.hookflow.rules.support.Events;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.hookflow.stack.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Writes and records across organisations: the default organisation (the bootstrap key) acts on another
 * organisation's rules and records, by ref and by id. Each attempt answers 404, as for a rule that does not exist, and
 * the owner, reading its resources back, finds them exactly as they were.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class RuleTenancyTest {

    String otherOrg;
    String otherToken;

    /** A fresh organisation per test, signed in with a token as ingest-service would issue it. */
    @BeforeEach
    void signInToAnotherOrganisation() {
        otherOrg = "org-" + UUID.randomUUID().toString().substring(0, 8);
        String tokenKey = ConfigProvider.getConfig().getValue("hookflow.auth.token-key", String.class);
        otherToken = new Tokens(Optional.of(tokenKey)).issue(otherOrg, "tenancy-test", Instant.now().plusSeconds(600));
    }

    @Test
    void shouldAnswerNotFoundAndChangeNothingWhenAnotherOrganisationWritesOrRunsARule() {
        String pack = "p" + UUID.randomUUID().toString().substring(0, 8);
        String enabledId = asOwner().body(rule(pack, "theirs_on", true)).post("/api/v1/rules")
                .then().statusCode(201).extract().path("id");
        String disabledId = asOwner().body(rule(pack, "theirs_off", false)).post("/api/v1/rules")
                .then().statusCode(201).extract().path("id");
        String enabledBefore = readAsOwner(pack + ".theirs_on");
        String disabledBefore = readAsOwner(pack + ".theirs_off");
        RuleChange enabledChange = latestChange(enabledId);
        RuleChange disabledChange = latestChange(disabledId);

        // By ref and by id: an id is unique across organisations, so a lookup by id alone would find their rule.
        for (String target : List.of(pack + ".theirs_on", enabledId)) {
            api().body(rule(pack, "theirs_on", false, "{\"type\": \"it.rewritten\"}", "rewritten by another organisation"))
                    .put("/api/v1/rules/" + target)
                    .then().statusCode(404).body("error", equalTo("not_found"));
            api().post("/api/v1/rules/" + target + "/disable").then().statusCode(404).body("error", equalTo("not_found"));
            api().delete("/api/v1/rules/" + target).then().statusCode(404).body("error", equalTo("not_found"));
            // Refused before anything is sent: no delivery-service runs in this test, so a send would answer 503.
            api().post("/api/v1/rules/" + target + "/execute").then().statusCode(404).body("error", equalTo("not_found"));
            api().body("{\"ruleRef\": \"%s\", \"triggerInstance\": {\"trigger\": \"it.tenancy\", \"payload\": {}}}"
                    .formatted(target)).post("/api/v1/rules/test").then().statusCode(404).body("error", equalTo("not_found"));
        }
        for (String target : List.of(pack + ".theirs_off", disabledId)) {
            api().post("/api/v1/rules/" + target + "/enable").then().statusCode(404).body("error", equalTo("not_found"));
            api().body(rule(pack, "theirs_off", true, "{\"type\": \"it.rewritten\"}", "rewritten by another organisation"))
                    .put("/api/v1/rules/" + target).then().statusCode(404);
            api().delete("/api/v1/rules/" + target).then().statusCode(404);
        }

        assertEquals(enabledBefore, readAsOwner(pack + ".theirs_on"), "their enabled rule is unchanged");
        assertEquals(disabledBefore, readAsOwner(pack + ".theirs_off"), "their disabled rule is unchanged");
        // No change was published either: ingest would otherwise serve or drop a webhook url on a change that never was.
        assertEquals(enabledChange, latestChange(enabledId));
        assertEquals(disabledChange, latestChange(disabledId));
        // The same write by the owner works, so the 404s above were about the organisation, not the request.
        asOwner().post("/api/v1/rules/" + enabledId + "/disable").then().statusCode(200).body("enabled", equalTo(false));
    }

    @Test
    void shouldKeepTriggerInstancesAndEnforcementsWithinTheirOrganisation() {
        String trigger = Events.newTriggerType();
        String pack = "p" + UUID.randomUUID().toString().substring(0, 8);
        String theirRule = asOwner().body(rule(pack, "theirs", true, "{\"type\": \"%s\"}".formatted(trigger), "theirs")).post("/api/v1/rules")
                .then().statusCode(201).extract().path("id");
        String ourRule = Events.createRule(trigger, "{}", "{\"url\": \"https://ours.example.com/hook\"}");
        String theirInstance = UUID.randomUUID().toString();
        String ourInstance = UUID.randomUUID().toString();

        Events.publish(Events.triggerEvent(otherOrg, theirInstance, trigger, Instant.now(), "{\"who\": \"them\"}", 0));
        Events.publish(Events.triggerEvent(Events.ORG, ourInstance, trigger, Instant.now(), "{\"who\": \"us\"}", 0));
        // An instance and its enforcements are recorded in one transaction: once it is readable, so are they.
        await().atMost(Duration.ofSeconds(30)).until(() ->
                asOwner().get("/api/v1/triggerinstances/" + theirInstance).statusCode() == 200
                        && api().get("/api/v1/triggerinstances/" + ourInstance).statusCode() == 200);

        // Each event fired only its own organisation's rule, though both rules watch the same trigger.
        String theirEnforcement = asOwner().queryParam("triggerInstance", theirInstance).get("/api/v1/ruleenforcements")
                .then().statusCode(200).body("items", hasSize(1)).body("items[0].ruleId", equalTo(theirRule))
                .extract().path("items[0].id");
        api().queryParam("triggerInstance", ourInstance).get("/api/v1/ruleenforcements")
                .then().statusCode(200).body("items", hasSize(1)).body("items[0].ruleId", equalTo(ourRule));

        String instanceBefore = asOwner().get("/api/v1/triggerinstances/" + theirInstance).then().extract().asString();
        String enforcementBefore = asOwner().get("/api/v1/ruleenforcements/" + theirEnforcement).then().statusCode(200)
                .extract().asString();

        api().get("/api/v1/triggerinstances/" + theirInstance).then().statusCode(404).body("error", equalTo("not_found"));
        api().get("/api/v1/ruleenforcements/" + theirEnforcement).then().statusCode(404).body("error", equalTo("not_found"));
        api().queryParam("triggerInstance", theirInstance).get("/api/v1/ruleenforcements")
                .then().statusCode(200).body("items", hasSize(0));
        api().queryParam("rule", theirRule).get("/api/v1/ruleenforcements").then().statusCode(200).body("items", hasSize(0));
        api().queryParam("rule", pack + ".theirs").get("/api/v1/ruleenforcements")
                .then().statusCode(200).body("items", hasSize(0));
        // The tester reads a recorded instance by id: another organisation's is as unknown as a made-up one.
        api().body("{\"ruleRef\": \"%s\", \"triggerInstanceId\": \"%s\"}".formatted(ourRule, theirInstance))
                .post("/api/v1/rules/test").then().statusCode(404).body("error", equalTo("not_found"));

        assertEquals(instanceBefore, asOwner().get("/api/v1/triggerinstances/" + theirInstance).then().extract().asString());
        assertEquals(enforcementBefore, asOwner().get("/api/v1/ruleenforcements/" + theirEnforcement).then().extract()
                .asString());
    }

    private RequestSpecification asOwner() {
        return given().header("X-Auth-Token", otherToken).contentType("application/json");
    }

    private String readAsOwner(String ref) {
        return asOwner().get("/api/v1/rules/" + ref).then().statusCode(200).extract().asString();
    }

    /** A rule with a webhook url of its own, so that its rule-changes record matters to ingest. */
    private static String rule(String pack, String name, boolean enabled) {
        return rule(pack, name, enabled, "{\"type\": \"core.st2.webhook\", \"parameters\": {\"url\": \"%s/%s\"}}"
                .formatted(pack, name), "belongs to another organisation");
    }

    private static String rule(String pack, String name, boolean enabled, String trigger, String description) {
        return """
                {"name": "%s", "pack": "%s", "enabled": %s, "description": "%s", "trigger": %s,
                 "action": {"ref": "core.http", "parameters": {"url": "https://theirs.example.com/hook"}}}"""
                .formatted(name, pack, enabled, description, trigger);
    }

    /** The latest rule-changes record of a rule, read to the topic's current end. */
    private static RuleChange latestChange(String ruleId) {
        List<ConsumerRecord<String, String>> records = TopicReader.readAll(KafkaTestResource.broker().bootstrapServers(),
                Topics.RULE_CHANGES).stream().filter(r -> ruleId.equals(r.key())).toList();
        assertFalse(records.isEmpty(), "no rule-changes record for " + ruleId);
        return Events.ruleChange(records.get(records.size() - 1));
    }
}
