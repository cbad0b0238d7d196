package io.hookflow.rules.enforcement;

import static io.hookflow.rules.support.Events.api;
import static io.hookflow.rules.support.Events.createRule;
import static io.hookflow.rules.support.Events.newTriggerType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.common.event.TaskIds;
import io.hookflow.rules.support.Enforcement;
import io.hookflow.rules.support.Events;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/** Trigger events in through the real broker, rules from the real database, tasks out on the real broker. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class RuleEnforcementTest {

    @Test
    void shouldPublishARenderedTaskForAMatchingRule() {
        String trigger = newTriggerType();
        String ruleId = createRule(trigger, "{\"trigger.attribute1\": {\"type\": \"equals\", \"pattern\": \"value1\"}}", """
                {"url": "https://ci.example.com/build?branch={{ trigger.payload.branch }}", "method": "POST",
                 "headers": {"X-Attr": "{{ trigger.body.payload.attribute1 }}"},
                 "body": {"attribute": "{{ trigger.attribute1 }}", "published": "${trigger.payload.branch}"}}""");

        String instance = Events.publishSt2Event(trigger, "{\"attribute1\": \"value1\", \"branch\": \"feature/x y\"}");

        ActionTask task = awaitTaskFor(instance);
        assertEquals(TaskIds.forTask(instance, ruleId), task.id());
        assertEquals(ruleId, task.ruleId());
        String ref = api().get("/api/v1/rules/" + ruleId).then().extract().path("ref");
        assertEquals(ref, task.ruleRef());
        assertEquals("core.http", task.actionRef());
        assertEquals("default", task.orgId());
        OutboundRequest request = task.request();
        assertEquals("https://ci.example.com/build?branch=feature%2Fx+y", request.url());
        assertEquals("value1", request.headers().get("X-Attr"));
        assertEquals("{\"attribute\":\"value1\",\"published\":\"feature/x y\"}", request.body());
    }

    @Test
    void shouldPublishNothingForEventsNoRuleMatches() {
        String trigger = newTriggerType();
        createRule(trigger, "{\"trigger.attribute1\": {\"type\": \"equals\", \"pattern\": \"value1\"}}",
                "{\"url\": \"https://ci.example.com/{{ trigger.needed }}\"}");
        String unmatched = UUID.randomUUID().toString();
        String unrenderable = UUID.randomUUID().toString();
        String matched = UUID.randomUUID().toString();

        List<RecordMetadata> published = List.of(
                Events.publish(Events.st2Event(unmatched, trigger, "{\"attribute1\": \"other\", \"needed\": \"x\"}", 0)),
                Events.publish(Events.st2Event(unrenderable, trigger, "{\"attribute1\": \"value1\"}", 0)),
                Events.publish(Events.st2Event(matched, trigger, "{\"attribute1\": \"value1\", \"needed\": \"x\"}", 0)));

        // Committed past all three: every task they produced is on the topic, so the read below would see a wrong one.
        Enforcement.awaitCommittedPast(published);
        List<ActionTask> tasks = Enforcement.tasksOf(Set.of(unmatched, unrenderable, matched));
        assertEquals(List.of(matched), tasks.stream().map(ActionTask::triggerInstanceId).distinct().toList());
    }

    @Test
    void shouldNotFireDisabledRulesOrRulesOfOtherTriggers() {
        String trigger = newTriggerType();
        String disabled = createRule(trigger, "{}", "{\"url\": \"https://x.example.com/off\"}");
        api().post("/api/v1/rules/" + disabled + "/disable").then().statusCode(200);
        String other = newTriggerType();
        createRule(other, "{}", "{\"url\": \"https://x.example.com/other\"}");
        String enabled = createRule(trigger, "{}", "{\"url\": \"https://x.example.com/on\"}");
        String instance = UUID.randomUUID().toString();

        RecordMetadata published = Events.publish(Events.st2Event(instance, trigger, "{}", 0));

        Enforcement.awaitCommittedPast(List.of(published));
        List<ActionTask> tasks = Enforcement.tasksOf(Set.of(instance));
        assertEquals(List.of(enabled), tasks.stream().map(ActionTask::ruleId).distinct().toList());
        assertTrue(tasks.stream().allMatch(task -> task.request().url().equals("https://x.example.com/on")));
    }

    @Test
    void shouldFireOnlyTheRulesOfTheWebhookUrlThatReceivedTheEvent() {
        // Two urls of one organisation; the trigger parameters of the event say which one received it.
        String pack = "p" + UUID.randomUUID().toString().substring(0, 8);
        String builds = webhookRule(pack, "builds", pack + "/builds");
        webhookRule(pack, "deploys", pack + "/deploys");
        String instance = UUID.randomUUID().toString();

        RecordMetadata published = Events.publish(Events.webhookEvent(instance, pack + "/builds", "{\"n\": 1}"));

        Enforcement.awaitCommittedPast(List.of(published));
        List<ActionTask> tasks = Enforcement.tasksOf(Set.of(instance));
        assertEquals(List.of(builds), tasks.stream().map(ActionTask::ruleId).distinct().toList());
    }

    @Test
    void shouldDeriveTheSameTaskIdWhenAnEventIsRedelivered() {
        String trigger = newTriggerType();
        String ruleId = createRule(trigger, "{}", "{\"url\": \"https://x.example.com/replay\"}");
        String instance = UUID.randomUUID().toString();
        var event = Events.st2Event(instance, trigger, "{\"n\": 1}", 0);
        RecordMetadata first = Events.publish(event);
        // The copy comes once the first is done (recorded, published, committed), as after a crash between publishing
        // and committing: in a batch of its own, whose instance is already recorded, and its task must go out again.
        Enforcement.awaitCommittedPast(List.of(first));
        RecordMetadata again = Events.publish(event);

        Enforcement.awaitCommittedPast(List.of(again));
        List<ActionTask> both = Enforcement.tasksOf(Set.of(instance));
        assertEquals(2, both.size(), "one task per delivery of the event");
        assertEquals(TaskIds.forTask(instance, ruleId), both.get(0).id());
        assertEquals(both.get(0).id(), both.get(1).id());
    }

    private static String webhookRule(String pack, String name, String url) {
        return api().body("""
                {"name": "%s", "pack": "%s", "trigger": {"type": "core.st2.webhook", "parameters": {"url": "%s"}},
                 "action": {"ref": "core.http", "parameters": {"url": "https://x.example.com/%s"}}}""".formatted(name, pack, url, name))
                .post("/api/v1/rules").then().statusCode(201).extract().path("id");
    }

    private static ActionTask awaitTaskFor(String instance) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !Enforcement.tasksOf(Set.of(instance)).isEmpty());
        return Enforcement.tasksOf(Set.of(instance)).get(0);
    }
}
