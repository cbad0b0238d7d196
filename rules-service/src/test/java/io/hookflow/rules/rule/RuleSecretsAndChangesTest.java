package io.hookflow.rules.rule;

import static io.hookflow.rules.support.Events.api;
import static io.hookflow.rules.support.Events.newTriggerType;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.crypto.SecretCipher;
import io.hookflow.common.event.RuleChange;
import io.hookflow.common.event.Topics;
import io.hookflow.rules.config.RulesConfig;
import io.hookflow.rules.index.RuleIndex;
import io.hookflow.rules.support.Events;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.hookflow.stack.testing.TopicReader;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Secrets never in the clear outside the process, and every rule change on the compacted topic. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class RuleSecretsAndChangesTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static TopicReader tasks;

    @Inject
    EntityManager em;

    @Inject
    RuleSecrets secrets;

    @Inject
    RuleIndex index;

    @Inject
    RuleRevisions revisions;

    @Inject
    RulesConfig config;

    @BeforeAll
    static void connect() {
        tasks = new TopicReader(KafkaTestResource.broker().bootstrapServers(), Topics.ACTION_TASKS);
    }

    @AfterAll
    static void close() {
        tasks.close();
    }

    @Test
    void shouldKeepSecretsOutOfTheDatabaseAndTheTaskTopic() throws Exception {
        String trigger = newTriggerType();
        String ruleId = Events.createRule(trigger, "{}", """
                {"url": "https://ci.example.com/hook", "username": "bot", "password": "pa55word-in-clear",
                 "secret": "signing-secret-in-clear"}""");

        String column = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "select cast(action_parameters as text) from {h-schema}rule where id = cast(:id as uuid)")
                .setParameter("id", ruleId).getSingleResult());
        assertFalse(column.contains("pa55word-in-clear"), column);
        assertFalse(column.contains("signing-secret-in-clear"), column);
        assertTrue(column.contains(SecretCipher.PREFIX), column);

        String instance = Events.publishSt2Event(trigger, "{}");
        await().atMost(Duration.ofSeconds(30)).until(() -> !tasks.records(r -> r.value().contains(instance)).isEmpty());
        String raw = tasks.records(r -> r.value().contains(instance)).get(0).value();
        assertFalse(raw.contains("pa55word-in-clear"), raw);
        assertFalse(raw.contains("signing-secret-in-clear"), raw);
        JsonNode request = JSON.readTree(raw).get("request");
        assertEquals("pa55word-in-clear", secrets.decrypt(request.get("password").asText()));
        assertEquals("signing-secret-in-clear", secrets.decrypt(request.get("secret").asText()));
        assertEquals("bot", request.get("username").asText());
    }

    @Test
    void shouldRenderATemplatedPasswordAndSendItEncrypted() throws Exception {
        String trigger = newTriggerType();
        Events.createRule(trigger, "{}", """
                {"url": "https://ci.example.com/hook", "username": "bot", "password": "{{ trigger.token }}"}""");
        String instance = Events.publishSt2Event(trigger, "{\"token\": \"per-event-token\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> api().get("/api/v1/triggerinstances/" + instance).statusCode() == 200);
        api().get("/api/v1/triggerinstances/" + instance).then().body("status", org.hamcrest.Matchers.equalTo("processed"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !tasks.records(r -> r.value().contains(instance)).isEmpty());
        String raw = tasks.records(r -> r.value().contains(instance)).get(0).value();
        assertFalse(raw.contains("per-event-token"), raw);
        assertEquals("per-event-token", secrets.decrypt(JSON.readTree(raw).get("request").get("password").asText()));
    }

    @Test
    void shouldEncryptPlaintextLeftInTheDatabaseIdempotently() {
        String trigger = newTriggerType();
        String ruleId = Events.createRule(trigger, "{}", "{\"url\": \"https://ci.example.com/hook\", \"password\": \"x\"}");
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                update {h-schema}rule set action_parameters = cast('{"url": "https://ci.example.com/hook", "password": "old-plain"}' as jsonb)
                where id = cast(:id as uuid)""").setParameter("id", ruleId).executeUpdate());

        RuleService service = io.quarkus.arc.Arc.container().instance(RuleService.class).get();
        assertTrue(service.encryptPlaintextSecrets() >= 1);
        assertEquals(0, service.encryptPlaintextSecrets());
        String column = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "select action_parameters->>'password' from {h-schema}rule where id = cast(:id as uuid)")
                .setParameter("id", ruleId).getSingleResult());
        assertEquals("old-plain", secrets.decrypt(column));
    }

    @Test
    void shouldPublishEveryChangeAndATombstoneOnDelete() throws Exception {
        String pack = "p" + UUID.randomUUID().toString().substring(0, 8);
        String ruleId = api().body("""
                {"name": "hooked", "pack": "%s", "trigger": {"type": "core.st2.webhook", "parameters": {"url": "/ci/builds/"}},
                 "action": {"ref": "core.http", "parameters": {"url": "https://x.example.com/"}}}""".formatted(pack))
                .post("/api/v1/rules").then().statusCode(201).extract().path("id");
        // Acknowledged by the broker before the API answered: a read to the topic's end right after the answer has it.
        RuleChange first = latest(ruleId);
        assertEquals(ruleId, first.ruleId());
        assertEquals("default", first.orgId());
        assertEquals("ci/builds", first.webhookUrl());
        assertEquals(pack + ".hooked", first.ref());
        assertEquals("core.st2.webhook", first.triggerType());
        assertTrue(first.enabled());

        api().post("/api/v1/rules/" + ruleId + "/disable").then().statusCode(200);
        RuleChange second = latest(ruleId);
        assertFalse(second.enabled());
        assertTrue(second.revision() > first.revision());

        api().delete("/api/v1/rules/" + ruleId).then().statusCode(204);
        assertNull(latest(ruleId), "a tombstone");

        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.broker().bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.RULE_CHANGES);
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(topic)).all().get(10, TimeUnit.SECONDS);
            assertEquals("compact", configs.get(topic).get("cleanup.policy").value());
        }
    }

    @Test
    void shouldLetSeveralRulesShareAWebhookUrlButRefuseMalformedOrClashingOnes() {
        String pack = "p" + UUID.randomUUID().toString().substring(0, 8);
        for (String name : List.of("one", "two")) {
            api().body(webhookRule(pack, name, "shared/" + pack)).post("/api/v1/rules").then().statusCode(201);
        }
        api().body(webhookRule(pack, "dots", "a/../b")).post("/api/v1/rules").then().statusCode(400)
                .body("details.path", containsInAnyOrder("trigger.parameters.url"));
        api().body(webhookRule(pack, "query", "a?x=1")).post("/api/v1/rules").then().statusCode(400);
        api().body(webhookRule(pack, "empty", "//")).post("/api/v1/rules").then().statusCode(400);
        api().body(webhookRule(pack, "generic", "/st2/")).post("/api/v1/rules").then().statusCode(400)
                .body("details[0].message", containsString("generic webhook"));
    }

    @Test
    void shouldNoticeAnotherReplicasChangeByPollingTheRevision() {
        String trigger = newTriggerType();
        String ruleId = Events.createRule(trigger, "{}", "{\"url\": \"https://x.example.com/\"}");
        // The replica that made the change reloads after its commit, before it answers.
        assertEquals(1, index.current().ruleCount("default", trigger));

        // Another replica: it changes the row and bumps the revision; this replica's caches know nothing of it.
        QuarkusTransaction.requiringNew().run(() -> {
            revisions.next();
            em.createNativeQuery("update {h-schema}rule set enabled = false, version = version + 1 where id = cast(:id as uuid)")
                    .setParameter("id", ruleId).executeUpdate();
        });
        // Only the revision poll can notice this change. The documented "well within 1 s" is the 200 ms poll interval
        // (asserted here as configured); the wait allows 50 intervals, so a loaded 2-core machine cannot fail it while
        // a poller that never reloads still does.
        assertEquals(Duration.ofMillis(200), config.revisionPollInterval());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> index.current().ruleCount("default", trigger) == 0);
    }

    private static String webhookRule(String pack, String name, String url) {
        return """
                {"name": "%s", "pack": "%s", "trigger": {"type": "core.st2.webhook", "parameters": {"url": "%s"}},
                 "action": {"ref": "core.http", "parameters": {"url": "https://x.example.com/"}}}""".formatted(name, pack, url);
    }

    /** The latest rule-changes record of the rule, reading the topic to its current end (null: a tombstone). */
    private static RuleChange latest(String ruleId) {
        List<ConsumerRecord<String, String>> records = TopicReader.readAll(KafkaTestResource.broker().bootstrapServers(),
                Topics.RULE_CHANGES).stream().filter(r -> ruleId.equals(r.key())).toList();
        assertFalse(records.isEmpty(), "no rule-changes record for " + ruleId);
        return Events.ruleChange(records.get(records.size() - 1));
    }
}
