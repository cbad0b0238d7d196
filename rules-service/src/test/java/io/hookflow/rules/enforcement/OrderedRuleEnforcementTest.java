package io.hookflow.rules.enforcement;

import static io.hookflow.rules.support.Events.api;
import static io.hookflow.rules.support.Events.newTriggerType;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.Topics;
import io.hookflow.rules.support.Enforcement;
import io.hookflow.rules.support.Events;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.hookflow.stack.testing.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * Rules with {@code ordering: {key}} on the real broker and database: the key is validated at save, rendered per trigger
 * instance into the task's lane, and an ordered task is published keyed by its lane, so a lane's tasks lie in one
 * action-tasks partition in the order of their trigger instances.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class OrderedRuleEnforcementTest {

    private static final String ACTION = "\"action\": {\"ref\": \"core.http\", \"parameters\": "
            + "{\"url\": \"https://x.example.com/{{ trigger.repo }}/{{ trigger.n }}\"}}";

    @Test
    void shouldPublishEachLanesTasksKeyedByTheLaneInTriggerInstanceOrder() {
        String trigger = newTriggerType();
        String ordered = rule(trigger, "{\"key\": \"{{ trigger.repo }}\"}");
        String unordered = rule(trigger, null);
        api().get("/api/v1/rules/" + ordered).then().statusCode(200).body("ordering.key", equalTo("{{ trigger.repo }}"));
        api().get("/api/v1/rules/" + unordered).then().statusCode(200).body("ordering", nullValue());

        List<String> instances = new ArrayList<>();
        List<RecordMetadata> published = new ArrayList<>();
        for (int n = 0; n < 30; n++) {
            String instance = UUID.randomUUID().toString();
            instances.add(instance);
            // Keyed by trigger, as ingest publishes: one trigger's events in one partition, in this order.
            published.add(Events.publish(Events.st2Event(instance, trigger,
                    "{\"repo\": \"repo-" + (n % 3) + "\", \"n\": " + n + "}", 0)));
        }
        Enforcement.awaitCommittedPast(published);

        Set<String> ours = Set.copyOf(instances);
        List<ConsumerRecord<String, String>> records = TopicReader.readAll(
                KafkaTestResource.broker().bootstrapServers(), Topics.ACTION_TASKS).stream()
                .filter(record -> ours.contains(Events.task(record).triggerInstanceId())).toList();
        Map<String, List<ConsumerRecord<String, String>>> lanes = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            ActionTask task = Events.task(record);
            if (task.ruleId().equals(unordered)) {
                assertNull(task.lane(), "an unordered rule's task has no lane");
                assertEquals(task.id(), record.key(), "an unordered task is keyed by its id");
            } else {
                assertEquals(record.key(), task.lane(), "an ordered task is keyed by its lane");
                lanes.computeIfAbsent(task.lane(), ignored -> new ArrayList<>()).add(record);
            }
        }
        assertEquals(Set.of(ordered + ":repo-0", ordered + ":repo-1", ordered + ":repo-2"), lanes.keySet());
        lanes.forEach((lane, laneRecords) -> {
            assertEquals(1, laneRecords.stream().map(ConsumerRecord::partition).distinct().count(),
                    "lane " + lane + " lies in one partition");
            // First publication of each instance, in offset order (a redelivered batch may publish a task again later).
            List<String> order = laneRecords.stream()
                    .sorted(java.util.Comparator.comparingLong(ConsumerRecord::offset))
                    .map(record -> Events.task(record).triggerInstanceId()).distinct().toList();
            int repo = Integer.parseInt(lane.substring(lane.lastIndexOf('-') + 1));
            List<String> expected = new ArrayList<>();
            for (int n = repo; n < instances.size(); n += 3) {
                expected.add(instances.get(n));
            }
            assertEquals(expected, order, "lane " + lane + " in trigger-instance order");
        });
        assertEquals(30, records.stream().map(Events::task).filter(task -> task.ruleId().equals(unordered))
                .map(ActionTask::triggerInstanceId).collect(Collectors.toSet()).size(), "the unordered rule fired for all");
    }

    @Test
    void shouldFailTheEnforcementWhenTheOrderingKeyCannotBeRendered() {
        String trigger = newTriggerType();
        String ordered = rule(trigger, "{\"key\": \"{{ trigger.missing }}\"}");
        String instance = UUID.randomUUID().toString();

        RecordMetadata published = Events.publish(Events.st2Event(instance, trigger, "{\"repo\": \"r\", \"n\": 1}", 0));

        Enforcement.awaitCommittedPast(List.of(published));
        assertEquals(List.of(), Enforcement.tasksOf(Set.of(instance)), "nothing is sent without its lane");
        api().queryParam("triggerInstance", instance).get("/api/v1/ruleenforcements").then().statusCode(200)
                .body("items[0].ruleId", equalTo(ordered))
                .body("items[0].status", equalTo("failed"))
                .body("items[0].failureReason", containsString("missing"));
        api().get("/api/v1/triggerinstances/" + instance).then().statusCode(200).body("status", equalTo("failed"));
    }

    @Test
    void shouldRefuseAMalformedOrderingWithTheErrorBody() {
        String trigger = newTriggerType();
        for (String ordering : List.of("\"{{ trigger.repo }}\"", "true", "{}", "{\"key\": \"\"}", "{\"key\": \"  \"}",
                "{\"key\": 7}", "{\"key\": \"{{ trigger.repo }}\", \"by\": \"x\"}", "{\"key\": \"{{ trigger.repo | }}\"}",
                "{\"key\": \"{% if trigger.draft %}never closed\"}")) {
            api().body(ruleJson(trigger, ordering)).post("/api/v1/rules")
                    .then().statusCode(400).body("error", equalTo("validation_failed"))
                    .body("details.path", hasItem(org.hamcrest.Matchers.startsWith("ordering")));
        }
    }

    @Test
    void shouldKeepAConstantKeyAsOneLaneForTheRule() {
        String trigger = newTriggerType();
        String ordered = rule(trigger, "{\"key\": \"all\"}");
        String instance = UUID.randomUUID().toString();

        Enforcement.awaitCommittedPast(List.of(Events.publish(Events.st2Event(instance, trigger,
                "{\"repo\": \"r\", \"n\": 1}", 0))));

        List<ActionTask> tasks = Enforcement.tasksOf(Set.of(instance));
        assertTrue(!tasks.isEmpty());
        assertEquals(ordered + ":all", tasks.get(0).lane());
    }

    private static String rule(String trigger, String ordering) {
        return api().body(ruleJson(trigger, ordering)).post("/api/v1/rules").then().statusCode(201).extract().path("id");
    }

    private static String ruleJson(String trigger, String ordering) {
        String name = "o" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return "{\"name\": \"%s\", \"pack\": \"it\", \"trigger\": {\"type\": \"%s\"}, ".formatted(name, trigger)
                + (ordering == null ? "" : "\"ordering\": " + ordering + ", ") + ACTION + "}";
    }
}
