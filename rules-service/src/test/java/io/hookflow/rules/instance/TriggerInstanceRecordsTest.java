package io.hookflow.rules.instance;

import static io.hookflow.rules.support.Events.api;
import static io.hookflow.rules.support.Events.createRule;
import static io.hookflow.rules.support.Events.newTriggerType;
import static io.hookflow.rules.support.Events.publishSt2Event;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.hookflow.common.event.TaskIds;
import io.hookflow.common.event.Topics;
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
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Trigger instances and rule enforcements, recorded from events that went through the real broker. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class TriggerInstanceRecordsTest {

    static TopicReader tasks;

    @Inject
    EntityManager em;

    @BeforeAll
    static void connect() {
        tasks = new TopicReader(KafkaTestResource.broker().bootstrapServers(), Topics.ACTION_TASKS);
    }

    @AfterAll
    static void close() {
        tasks.close();
    }

    static void awaitStatus(String instance, String status) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> api().get("/api/v1/triggerinstances/" + instance).statusCode() == 200);
        api().get("/api/v1/triggerinstances/" + instance).then().statusCode(200).body("status", equalTo(status));
    }

    @Test
    void shouldRecordEachInstanceWithWhatBecameOfIt() {
        String trigger = newTriggerType();
        String ruleId = createRule(trigger, "{\"trigger.kind\": {\"type\": \"equals\", \"pattern\": \"build\"}}",
                "{\"url\": \"https://ci.example.com/{{ trigger.branch }}\"}");

        String processed = publishSt2Event(trigger, "{\"kind\": \"build\", \"branch\": \"main\"}");
        String unmatched = publishSt2Event(trigger, "{\"kind\": \"deploy\"}");
        String failed = publishSt2Event(trigger, "{\"kind\": \"build\"}");

        awaitStatus(failed, "failed");
        api().get("/api/v1/triggerinstances/" + processed).then().statusCode(200)
                .body("status", equalTo("processed"))
                .body("trigger", equalTo(trigger))
                .body("payload.branch", equalTo("main"))
                .body("depth", equalTo(0))
                .body("receivedAt", notNullValue());
        api().get("/api/v1/triggerinstances/" + unmatched).then().statusCode(200).body("status", equalTo("no_rule_matched"));
        api().get("/api/v1/triggerinstances/" + failed).then().statusCode(200)
                .body("reason", containsString("trigger.branch"));

        api().queryParam("triggerInstance", processed).get("/api/v1/ruleenforcements").then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].ruleId", equalTo(ruleId))
                .body("items[0].status", equalTo("succeeded"))
                .body("items[0].executionId", equalTo(TaskIds.forTask(processed, ruleId)));
        String failedEnforcement = api().queryParam("triggerInstance", failed).get("/api/v1/ruleenforcements").then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].status", equalTo("failed"))
                .body("items[0].executionId", nullValue())
                .body("items[0].failureReason", containsString("trigger.branch"))
                .extract().path("items[0].id");
        api().get("/api/v1/ruleenforcements/" + failedEnforcement).then().statusCode(200)
                .body("triggerInstanceId", equalTo(failed));
        api().queryParam("triggerInstance", unmatched).get("/api/v1/ruleenforcements").then().body("items", hasSize(0));
    }

    @Test
    void shouldRecordOneEnforcementAndOneTaskIdWhenAnEventIsRedelivered() {
        String trigger = newTriggerType();
        String ruleId = createRule(trigger, "{}", "{\"url\": \"https://x.example.com/replay\"}");
        String instance = UUID.randomUUID().toString();
        var event = Events.st2Event(instance, trigger, "{\"n\": 1}", 0);
        Events.publish(event);
        Events.publish(event);

        await().atMost(Duration.ofSeconds(30)).until(() -> tasks.records(r -> r.value().contains(instance)).size() == 2);
        List<String> taskIds = tasks.records(r -> r.value().contains(instance)).stream().map(r -> r.key()).distinct().toList();
        assertEquals(List.of(TaskIds.forTask(instance, ruleId)), taskIds);
        api().queryParam("triggerInstance", instance).get("/api/v1/ruleenforcements").then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].executionId", equalTo(taskIds.get(0)));
        api().queryParam("rule", ruleId).get("/api/v1/ruleenforcements").then().body("items", hasSize(1));
    }

    @Test
    void shouldFilterAndPageNewestFirst() {
        String trigger = newTriggerType();
        createRule(trigger, "{\"trigger.n\": {\"type\": \"gt\", \"pattern\": 1}}", "{\"url\": \"https://x.example.com/p\"}");
        Instant before = Instant.now().minusSeconds(1);
        String first = publishSt2Event(trigger, "{\"n\": 1}");
        String second = publishSt2Event(trigger, "{\"n\": 2}");
        String third = publishSt2Event(trigger, "{\"n\": 3}");
        awaitStatus(third, "processed");

        String cursor = api().queryParam("trigger", trigger).queryParam("limit", 2).get("/api/v1/triggerinstances")
                .then().statusCode(200)
                .body("items", hasSize(2))
                .body("items[0].id", equalTo(third))
                .body("items[1].id", equalTo(second))
                .extract().path("nextCursor");
        api().queryParam("trigger", trigger).queryParam("limit", 2).queryParam("cursor", cursor).get("/api/v1/triggerinstances")
                .then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].id", equalTo(first))
                .body("nextCursor", nullValue());
        api().queryParam("trigger", trigger).queryParam("status", "no_rule_matched").get("/api/v1/triggerinstances")
                .then().statusCode(200).body("items", hasSize(1)).body("items[0].id", equalTo(first));
        api().queryParam("trigger", trigger).queryParam("since", before.minusSeconds(60).toString())
                .queryParam("until", before.toString()).get("/api/v1/triggerinstances")
                .then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void shouldRecordAPayloadWithCharactersJsonbRefuses() {
        String trigger = newTriggerType();
        String instance = publishSt2Event(trigger, "{\"text\": \"nul\\u0000here\", \"quote\": \"it's \\\"fine\\\"\"}");
        awaitStatus(instance, "no_rule_matched");
        api().get("/api/v1/triggerinstances/" + instance).then().body("payload.text", equalTo("nul\ufffdhere"))
                .body("payload.quote", equalTo("it's \"fine\""));
    }

    @Test
    void shouldRefuseBadQueriesWithTheirProblems() {
        api().queryParam("status", "happy").queryParam("since", "yesterday").queryParam("limit", "0")
                .queryParam("cursor", "!!!").get("/api/v1/triggerinstances")
                .then().statusCode(400).body("error", equalTo("validation_failed")).body("details", hasSize(4));
        api().queryParam("since", "2026-11-24").queryParam("until", "2026-11-23").get("/api/v1/ruleenforcements")
                .then().statusCode(400).body("details[0].path", equalTo("since"));
        api().get("/api/v1/ruleenforcements/not-a-uuid").then().statusCode(404).body("error", equalTo("not_found"));
        api().get("/api/v1/triggerinstances/no-such-instance").then().statusCode(404).body("error", equalTo("not_found"));
    }

    @Test
    void shouldHideAnotherOrganisationsInstances() {
        String id = "other-org-" + UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                insert into {h-schema}trigger_instance (id, org_id, trigger, payload, received_at, recorded_at, status, depth)
                values (:id, 'another-org', 'x.y', cast('{}' as jsonb), now(), now(), 'processed', 0)""")
                .setParameter("id", id).executeUpdate());

        api().get("/api/v1/triggerinstances/" + id).then().statusCode(404);
        List<String> ids = api().queryParam("trigger", "x.y").get("/api/v1/triggerinstances").then().extract().path("items.id");
        assertFalse(ids.contains(id));
    }
}
