package io.hookflow.rules.hostile;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookflow.common.event.Topics;
import io.hookflow.common.event.TriggerEvent;
import io.hookflow.rules.enforcement.DeadLetters;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.hookflow.stack.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The defects a hostile corpus found (issue 11), each proven fixed against the real broker and database: a webhook url
 * fires only its own rules, a rule cannot produce a task the broker refuses (and so stall every tenant), an unreadable
 * event is a dead letter and not a silent skip, and oversized or malicious rule documents and dates are 4xx.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class HostileInputTest {

    static final String KEY = "test-bootstrap-key";
    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void connect() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.broker().bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    @Test
    void shouldFireOnlyTheRulesOfTheUrlAWebhookWasReceivedAt() throws Exception {
        String suffix = unique();
        String hook = "hook/" + suffix;
        String other = "other/" + suffix;
        String viaOther = createRule("viaother" + suffix, "{\"type\": \"core.st2.webhook\", \"parameters\": {\"url\": \"" + other + "\"}}",
                "{\"url\": \"https://x.example.com/other\", \"body\": {\"id\": \"{{ trigger.body.id }}-via-other\"}}");
        String viaHook = createRule("viahook" + suffix, "{\"type\": \"core.st2.webhook\", \"parameters\": {\"url\": \"/" + hook + "/\"}}",
                "{\"url\": \"https://x.example.com/hook\", \"body\": {\"id\": \"{{ trigger.body.id }}-via-hook\"}}");

        String instance = publish(webhookEvent(hook, "{\"id\": \"a\"}", true));
        // An event written before trigger parameters existed names its url only in source and payload.
        String legacy = publish(webhookEvent(hook, "{\"id\": \"b\"}", false));
        // The generic st2 webhook may name the type, but without a url it is no rule-registered webhook.
        String generic = publish(new TriggerEvent(TriggerEvent.VERSION, UUID.randomUUID().toString(), "default",
                "core.st2.webhook", null, Instant.now(), new TriggerEvent.Source("st2", null),
                JSON.readTree("{\"url\": \"" + hook + "\", \"body\": {\"id\": \"c\"}}"), 0));

        for (String id : List.of(instance, legacy)) {
            JsonNode enforcements = awaitEnforcements(id, 1);
            assertEquals(1, enforcements.size(), enforcements.toString());
            assertEquals(viaHook, enforcements.get(0).get("ruleId").asText());
        }
        awaitInstanceStatus(generic, "no_rule_matched");
        assertEquals(0, enforcementsOf(generic).size());
        assertTrue(readAll(Topics.ACTION_TASKS).stream().noneMatch(task -> task.value().contains(viaOther)),
                "the rule of another url must never produce a task");
        api().get("/api/v1/triggerinstances/" + instance).then().statusCode(200)
                .body("parameters.url", equalTo(hook));
    }

    @Test
    void shouldFailOnlyTheEnforcementWhoseRenderedTaskIsTooLarge() throws Exception {
        String url = "big/" + unique();
        String rule = createRule("big" + unique(), "{\"type\": \"core.st2.webhook\", \"parameters\": {\"url\": \"" + url + "\"}}",
                "{\"url\": \"https://x.example.com/big\", \"body\": {\"a\": \"{{ trigger.body.big }}\", "
                        + "\"b\": \"{{ trigger.body.big }}\", \"id\": \"{{ trigger.body.id }}\"}}");
        String big = "x".repeat(600_000);
        String tooLarge = publish(webhookEvent(url, "{\"id\": \"large\", \"big\": \"" + big + "\"}", true));
        String fine = publish(webhookEvent(url, "{\"id\": \"fine\", \"big\": \"small\"}", true));

        JsonNode failed = awaitEnforcements(tooLarge, 1).get(0);
        assertEquals("failed", failed.get("status").asText().toLowerCase());
        assertTrue(failed.get("failureReason").asText().contains("request too large"), failed.toString());
        JsonNode ok = awaitEnforcements(fine, 1).get(0);
        assertEquals(rule, ok.get("ruleId").asText());
        await().atMost(Duration.ofSeconds(30)).until(() -> readAll(Topics.ACTION_TASKS).stream()
                .anyMatch(task -> task.value().contains(ok.get("executionId").asText())));
    }

    @Test
    void shouldRefuseAtSaveATemplateFreeBodyThatCouldNeverBeSent() {
        api().body("{\"name\": \"huge" + unique() + "\", \"trigger\": {\"type\": \"t.huge\"}, \"action\": {\"ref\": "
                        + "\"core.http\", \"parameters\": {\"url\": \"https://x.example.com/\", \"body\": \""
                        + "y".repeat(300 * 1024) + "\"}}}")
                .post("/api/v1/rules").then().statusCode(413).body("error", equalTo("payload_too_large"))
                .body("message", containsString("262144"));
    }

    @Test
    void shouldTakeARuleJustUnderTheLimitAndRefuseTwoDocumentsWithTheErrorBody() {
        String name = "large" + unique();
        api().body(ruleJson(name, "{\"type\": \"t.large\"}", "{\"url\": \"https://x.example.com/\", \"body\": \""
                        + "z".repeat(200 * 1024) + "\"}"))
                .post("/api/v1/rules").then().statusCode(201)
                .body("action.parameters.body.length()", equalTo(200 * 1024));
        String one = ruleJson("two" + unique(), "{\"type\": \"t.two\"}", "{\"url\": \"https://x.example.com/\"}");
        api().body(one + one).post("/api/v1/rules").then().statusCode(400)
                .body("error", equalTo("bad_request")).body("message", containsString("Trailing"))
                .body(org.hamcrest.Matchers.not(containsString("com.fasterxml")));
    }

    @Test
    void shouldSendAnUnreadableEventToTheDeadLetterTopicAndGoOn() throws Exception {
        String trigger = "dead." + unique();
        String rule = createRule("dl" + unique(), "{\"type\": \"" + trigger + "\"}", "{\"url\": \"https://x.example.com/dl\"}");
        byte[] unreadable = "{\"version\":1,\"id\":\"x\",\"orgId\":\"default\",\"trigger\":\"t\",\"payload\":{\"a\":\"\u00ff"
                .getBytes(StandardCharsets.ISO_8859_1);
        producer.send(new ProducerRecord<>(Topics.TRIGGER_EVENTS, trigger, unreadable)).get();
        ObjectNode noOrg = JSON.valueToTree(new TriggerEvent(TriggerEvent.VERSION, UUID.randomUUID().toString(), "default",
                trigger, null, Instant.now(), null, JSON.createObjectNode(), 0));
        noOrg.remove("orgId");
        producer.send(new ProducerRecord<>(Topics.TRIGGER_EVENTS, trigger, JSON.writeValueAsBytes(noOrg))).get();
        String good = publish(new TriggerEvent(TriggerEvent.VERSION, UUID.randomUUID().toString(), "default", trigger, null,
                Instant.now(), new TriggerEvent.Source("st2", null), JSON.createObjectNode(), 0));

        assertEquals(rule, awaitEnforcements(good, 1).get(0).get("ruleId").asText());
        // Batches may finish out of order, so the letters are awaited rather than inferred from the good event.
        await().atMost(Duration.ofSeconds(30)).until(() -> readAll(Topics.RULES_DEAD_LETTERS).stream()
                .filter(record -> trigger.equals(record.key())).count() >= 2);
        List<ConsumerRecord<String, String>> letters = readAll(Topics.RULES_DEAD_LETTERS).stream()
                .filter(record -> trigger.equals(record.key())).toList();
        assertEquals(2, letters.size(), letters.toString());
        List<String> reasons = letters.stream().map(HostileInputTest::reason).sorted().toList();
        assertTrue(reasons.get(0).startsWith("not a trigger event"), reasons.toString());
        assertTrue(reasons.get(1).contains("has no orgId"), reasons.toString());
        assertTrue(letters.stream().allMatch(letter -> Topics.TRIGGER_EVENTS.equals(header(letter, DeadLetters.SOURCE_TOPIC))));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("hookflow_rules_dead_letters_total{topic=\"trigger-events\"}"));
    }

    @Test
    void shouldResolveYamlAnchorsAndMergeKeysAsPyYamlDoes() {
        String name = "yaml" + unique();
        // An alias needs its anchor earlier in the document.
        yaml("name: " + name + "\ntrigger: {type: t.yaml}\naction: {ref: core.http, parameters: {url: 'https://x.example.com/', "
                + "headers: *undefined}}\n").post("/api/v1/rules").then().statusCode(400);
        yaml("""
                name: %s
                trigger: {type: t.yaml}
                action:
                  ref: core.http
                  parameters:
                    url: https://x.example.com/yaml
                    headers: &h {X-Team: core}
                    body:
                      copied: *h
                      base: &b {kind: push, n: 1}
                      merged: {<<: *b, n: 2}
                """.formatted(name))
                .post("/api/v1/rules").then().statusCode(201)
                .body("action.parameters.body.copied.X-Team", equalTo("core"))
                .body("action.parameters.body.merged.kind", equalTo("push"))
                .body("action.parameters.body.merged.n", equalTo(2));
    }

    @Test
    void shouldRefuseYamlBuiltToExpandWithoutEnd() {
        StringBuilder laughs = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char level = 'b'; level <= 'j'; level++) {
            char previous = (char) (level - 1);
            laughs.append(level).append(": &").append(level).append(" [")
                    .append(String.join(",", java.util.Collections.nCopies(9, "*" + previous))).append("]\n");
        }
        yaml(laughs.toString()).post("/api/v1/rules").then().statusCode(400).body("message", containsString("YAML refused"));
        String deep = "a: " + "[".repeat(200) + "]".repeat(200) + "\n";
        yaml(deep).post("/api/v1/rules").then().statusCode(400).body("message", containsString("YAML refused"));
        yaml("a: .nan\n").post("/api/v1/rules").then().statusCode(400);
        yaml("a: [unclosed\n").post("/api/v1/rules").then().statusCode(400).body("message", containsString("line"));
    }

    @Test
    void shouldRefuseCredentialsInTheUrlAndABrokenStandardWebhooksSecret() {
        api().body(ruleJson("creds" + unique(), "{\"type\": \"t.c\"}", "{\"url\": \"http://u:pass@x.example.com/\"}"))
                .post("/api/v1/rules").then().statusCode(400)
                .body("details.path", hasItem("action.parameters.url"))
                .body("details.message", hasItem(containsString("username")))
                .body(org.hamcrest.Matchers.not(containsString("pass@")));
        api().body(ruleJson("secret" + unique(), "{\"type\": \"t.c\"}",
                        "{\"url\": \"https://x.example.com/\", \"secret\": \"whsec_not base64!\"}"))
                .post("/api/v1/rules").then().statusCode(400)
                .body("details.path", hasItem("action.parameters.secret"));
        api().body(ruleJson("secretok" + unique(), "{\"type\": \"t.c\"}",
                        "{\"url\": \"https://x.example.com/\", \"secret\": \"whsec_c2VjcmV0LWtleS1ieXRlcw==\"}"))
                .post("/api/v1/rules").then().statusCode(201);
    }

    @Test
    void shouldAnswer400ForDatesOutsideTheYearsTheDatabaseHolds() {
        for (String path : List.of("/api/v1/triggerinstances", "/api/v1/ruleenforcements")) {
            api().queryParam("since", "-999999999-01-01").get(path).then().statusCode(400)
                    .body("details[0].path", equalTo("since")).body("details[0].message", containsString("0001-01-01"));
            api().queryParam("until", "+999999999-12-31").get(path).then().statusCode(400)
                    .body("details[0].path", equalTo("until"));
        }
    }

    // --- helpers ---

    private static List<ConsumerRecord<String, String>> readAll(String topic) {
        return TopicReader.readAll(KafkaTestResource.broker().bootstrapServers(), topic);
    }

    private static String unique() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    private static RequestSpecification api() {
        return given().header("St2-Api-Key", KEY).contentType("application/json");
    }

    private static RequestSpecification yaml(String body) {
        return given().header("St2-Api-Key", KEY).contentType("application/yaml").body(body.getBytes(StandardCharsets.UTF_8));
    }

    private static String ruleJson(String name, String trigger, String parameters) {
        return "{\"name\": \"" + name + "\", \"pack\": \"hostile\", \"trigger\": " + trigger
                + ", \"action\": {\"ref\": \"core.http\", \"parameters\": " + parameters + "}}";
    }

    private static String createRule(String name, String trigger, String parameters) {
        return api().body(ruleJson(name, trigger, parameters)).post("/api/v1/rules").then().statusCode(201)
                .extract().path("id");
    }

    /** A rule-registered webhook's event as ingest builds it; {@code withParameters} false: as older ingests did. */
    private static TriggerEvent webhookEvent(String url, String body, boolean withParameters) throws Exception {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("url", url);
        payload.set("headers", JSON.createObjectNode());
        payload.set("body", JSON.readTree(body));
        return new TriggerEvent(TriggerEvent.VERSION, UUID.randomUUID().toString(), "default", TriggerEvent.WEBHOOK_TRIGGER,
                withParameters ? JSON.createObjectNode().put("url", url) : null, Instant.now(),
                new TriggerEvent.Source(url, null), payload, 0);
    }

    private static String publish(TriggerEvent event) throws Exception {
        producer.send(new ProducerRecord<>(Topics.TRIGGER_EVENTS, event.trigger(), JSON.writeValueAsBytes(event))).get();
        return event.id();
    }

    private static JsonNode enforcementsOf(String instance) throws Exception {
        String body = api().queryParam("triggerInstance", instance).get("/api/v1/ruleenforcements")
                .then().statusCode(200).extract().asString();
        return JSON.readTree(body).get("items");
    }

    private static JsonNode awaitEnforcements(String instance, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> enforcementsOf(instance).size() >= count);
        try {
            return enforcementsOf(instance);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void awaitInstanceStatus(String instance, String status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> api().get("/api/v1/triggerinstances/" + instance)
                .then().extract().statusCode() == 200);
        api().get("/api/v1/triggerinstances/" + instance).then().body("status", equalTo(status));
    }

    private static String reason(ConsumerRecord<String, String> record) {
        return header(record, DeadLetters.REASON);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
