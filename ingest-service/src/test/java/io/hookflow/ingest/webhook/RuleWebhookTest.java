package io.hookflow.ingest.webhook;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.hookflow.common.event.TriggerEvent;
import io.hookflow.common.event.TriggerIdentity;
import static io.hookflow.ingest.Api.BOOTSTRAP;
import static io.hookflow.ingest.Api.as;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.common.event.RuleChange;
import io.hookflow.common.event.Topics;
import io.hookflow.ingest.Broker;
import io.hookflow.ingest.TriggerTopic;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks registered by rules: rule changes are published to the real rule-changes topic exactly as rules-service
 * publishes them (that topic is the contract between the two services), and the webhook answers, or stops answering.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class RuleWebhookTest {

    static final Duration VISIBLE_WITHIN = io.hookflow.ingest.Api.PROPAGATION;

    TriggerTopic topic;

    @BeforeEach
    void openTopic() {
        topic = TriggerTopic.atEnd();
    }

    @AfterEach
    void closeTopic() {
        topic.close();
    }

    static String unique(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static void awaitStatus(String url, int status) {
        await().atMost(VISIBLE_WITHIN).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                as(BOOTSTRAP).body(Map.of()).header("Idempotency-Key", UUID.randomUUID().toString())
                        .post("/api/v1/webhooks/" + url).then().statusCode(status));
    }

    @Test
    void shouldDispatchARegisteredUrlWithItsHeadersAndBody() throws Exception {
        String url = unique("sample");
        String ruleId = UUID.randomUUID().toString();
        long published = System.nanoTime();
        Broker.publishRule(ruleId, "default", "pack.on_sample", true, url, 1);
        awaitStatus(url, 202);
        System.out.printf("rule-registered webhook answered %d ms after the rule change was acknowledged%n",
                Duration.ofNanos(System.nanoTime() - published).toMillis());
        topic.next();

        String instance = as(BOOTSTRAP).header("X-GitHub-Event", "push").header("Authorization", "Bearer secret")
                .queryParam("x-auth-token", "tok").body(Map.of("key1", "value1"))
                .post("/api/v1/webhooks/" + url)
                .then().statusCode(202).body("trigger", equalTo("core.st2.webhook")).extract().path("id");
        var record = topic.next();
        assertEquals(instance, record.key(), "keyed by trigger instance, so one busy webhook spreads over partitions");
        JsonNode event = TriggerTopic.JSON_READER.readTree(record.value());
        assertEquals(instance, event.get("id").asText());
        assertEquals("default", event.get("orgId").asText());
        JsonNode payload = event.get("payload");
        assertEquals(url, payload.get("url").asText());
        assertEquals("value1", payload.path("body").path("key1").asText());
        assertEquals("push", payload.path("headers").path("x-github-event").asText());
        for (String credential : new String[] {"st2-api-key", "authorization", "x-auth-token"}) {
            assertFalse(payload.path("headers").has(credential), credential + " travelled downstream");
        }
        assertFalse(payload.toString().contains("tok\""), "an auth query parameter travelled downstream");
    }

    @Test
    void shouldKeyATriggersEventsByTriggerOnlyWhileAnOrderedRuleListensToIt() throws Exception {
        String url = unique("ordered");
        String ruleId = UUID.randomUUID().toString();
        // Another organisation, so that no other test's webhooks of the default organisation change their keys.
        String org = "ordered-" + UUID.randomUUID().toString().substring(0, 8);
        String key = io.hookflow.ingest.Api.createKey(BOOTSTRAP, Map.of("orgId", org)).get("key");
        Broker.publish(new RuleChange(RuleChange.VERSION, ruleId, org, "pack.in_order", true,
                TriggerEvent.WEBHOOK_TRIGGER, url, 1, true));
        await().atMost(VISIBLE_WITHIN).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                io.hookflow.ingest.Api.as(key).body(Map.of()).post("/api/v1/webhooks/" + url).then().statusCode(202));
        topic.readToCurrentEnd();

        List<String> keys = new java.util.ArrayList<>();
        for (int n = 0; n < 3; n++) {
            String instance = io.hookflow.ingest.Api.as(key).body(Map.of("n", n)).post("/api/v1/webhooks/" + url)
                    .then().statusCode(202).extract().path("id");
            var record = topic.next();
            assertEquals(instance, TriggerTopic.event(record).id());
            keys.add(record.key());
        }
        assertEquals(1, new java.util.HashSet<>(keys).size(), "one key for the ordered trigger: " + keys);
        assertEquals(org + " core.st2.webhook " + TriggerIdentity.parametersKey(TriggerEvent.WEBHOOK_TRIGGER,
                TriggerTopic.JSON_READER.createObjectNode().put("url", url)), keys.get(0));

        // A second rule on the url without ordering keeps it ordered; once the ordered rule is disabled, ids again.
        Broker.publish(new RuleChange(RuleChange.VERSION, UUID.randomUUID().toString(), org, "pack.any_order", true,
                TriggerEvent.WEBHOOK_TRIGGER, url, 1));
        Broker.publish(new RuleChange(RuleChange.VERSION, ruleId, org, "pack.in_order", false,
                TriggerEvent.WEBHOOK_TRIGGER, url, 2, true));
        await().atMost(VISIBLE_WITHIN).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            String instance = io.hookflow.ingest.Api.as(key).body(Map.of()).post("/api/v1/webhooks/" + url)
                    .then().statusCode(202).extract().path("id");
            ConsumerRecord<String, String> record = topic.next();
            assertEquals(instance, record.key(), "keyed by its own id once no ordered rule listens");
        });
    }

    @Test
    void shouldTreatLeadingAndTrailingSlashesAsOneWebhookAndServeNestedUrls() throws Exception {
        String url = unique("github") + "/push";
        Broker.publishRule(UUID.randomUUID().toString(), "default", "pack.on_push", true, url, 1);
        awaitStatus(url, 202);
        topic.next();
        for (String variant : List.of("/" + url, url + "/", "/" + url + "/")) {
            // Unencoded, so the client sends "//" as such (RestAssured would send "%2F%2F").
            var response = as(BOOTSTRAP).urlEncodingEnabled(false).body(Map.of("v", variant))
                    .post("/api/v1/webhooks/" + variant);
            assertEquals(202, response.statusCode(), variant + ": " + response.asString());
            assertEquals(url, topic.nextEvent().path("payload").path("url").asText());
        }
        as(BOOTSTRAP).body(Map.of()).post("/v1/webhooks/" + url).then().statusCode(202);
        assertEquals(url, topic.nextEvent().path("payload").path("url").asText());
    }

    @Test
    void shouldAnswer404OnceTheRuleIsDisabledOrDeletedAndAgainWhenReEnabled() {
        String url = unique("lifecycle");
        String ruleId = UUID.randomUUID().toString();
        as(BOOTSTRAP).body(Map.of()).post("/api/v1/webhooks/" + url).then().statusCode(404)
                .body("error", equalTo("not_found")).body("message", containsString(url));

        Broker.publishRule(ruleId, "default", "pack.r", true, url, 1);
        awaitStatus(url, 202);
        Broker.publishRule(ruleId, "default", "pack.r", false, url, 2);
        awaitStatus(url, 404);
        // An older record seen late does not bring the rule back.
        Broker.publishRule(ruleId, "default", "pack.r", true, url, 1);
        Broker.publishRule(ruleId, "default", "pack.r", true, url, 3);
        awaitStatus(url, 202);
        Broker.send(Topics.RULE_CHANGES, ruleId, null);
        awaitStatus(url, 404);
    }

    @Test
    void shouldKeepServingAUrlWhileAnotherEnabledRuleRegistersIt() {
        String url = unique("shared");
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        Broker.publishRule(first, "default", "pack.first", true, url, 1);
        Broker.publishRule(second, "default", "pack.second", true, url, 1);
        await().atMost(VISIBLE_WITHIN).untilAsserted(() -> as(BOOTSTRAP).get("/api/v1/webhooks").then()
                .body("find { it.name == '" + url + "' }.rules", equalTo(List.of("pack.first", "pack.second"))));
        Broker.send(Topics.RULE_CHANGES, first, null);
        await().atMost(VISIBLE_WITHIN).untilAsserted(() -> as(BOOTSTRAP).get("/api/v1/webhooks").then()
                .body("find { it.name == '" + url + "' }.rules", equalTo(List.of("pack.second"))));
        as(BOOTSTRAP).body(Map.of()).post("/api/v1/webhooks/" + url).then().statusCode(202);
    }

    @Test
    void shouldListRegisteredUrlsBetweenSt2AndTheWebhooksById() {
        String url = unique("listed");
        Broker.publishRule(UUID.randomUUID().toString(), "default", "pack.listed", true, url, 1);
        String id = as(BOOTSTRAP).post("/api/v1/webhooks").then().statusCode(201).extract().path("id");
        await().atMost(VISIBLE_WITHIN).untilAsserted(() -> as(BOOTSTRAP).get("/api/v1/webhooks").then().statusCode(200)
                .body("[0].kind", equalTo("st2"))
                .body("find { it.name == '" + url + "' }.kind", equalTo("rule"))
                .body("find { it.name == '" + url + "' }.url", equalTo("/api/v1/webhooks/" + url))
                .body("find { it.name == '" + url + "' }.trigger", equalTo("core.st2.webhook"))
                .body("id", hasItem(id)));
        List<String> kinds = as(BOOTSTRAP).get("/api/v1/webhooks").then().extract().path("kind");
        assertEquals(kinds.indexOf("id") > kinds.lastIndexOf("rule"), true, kinds.toString());
    }

    @Test
    void shouldNotServeAnotherOrganisationsRegisteredUrl() {
        String url = unique("theirs");
        String mine = unique("mine");
        Broker.publishRule(UUID.randomUUID().toString(), "another-org", "pack.theirs", true, url, 1);
        Broker.publishRule(UUID.randomUUID().toString(), "default", "pack.mine", true, mine, 1);
        awaitStatus(mine, 202);
        // Published before ours, so it is known by now: still 404 for us, and not listed.
        as(BOOTSTRAP).body(Map.of()).post("/api/v1/webhooks/" + url).then().statusCode(404);
        as(BOOTSTRAP).get("/api/v1/webhooks").then().body("name", not(hasItem(url)));
    }

    @Test
    void shouldIgnoreRulesOfOtherTriggerTypes() {
        String url = unique("other");
        String ruleId = UUID.randomUUID().toString();
        Broker.publish(new RuleChange(RuleChange.VERSION, ruleId, "default", "p.o", true, "p.t", url, 1));
        String marker = unique("marker");
        Broker.publishRule(UUID.randomUUID().toString(), "default", "pack.marker", true, marker, 1);
        awaitStatus(marker, 202);
        as(BOOTSTRAP).body(Map.of()).post("/api/v1/webhooks/" + url).then().statusCode(404);
    }
}
