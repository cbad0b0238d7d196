package io.hookflow.e2e;

import static io.hookflow.e2e.HookflowSystem.KEY;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.stack.testing.TopicReader;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * rules-service killed with SIGKILL in the middle of a batch: the events it had taken but not finished are handled
 * again by the replacement, so none is lost, and each (trigger instance, rule) still ends as exactly one task id and one
 * enforcement. Offsets are committed only after a batch's tasks are acknowledged, which the test checks on the broker
 * at the moment of the crash.
 */
@ExtendWith(HookflowSystem.class)
class RulesCrashIT {

    static final String GROUP = "hookflow-rules";
    static final int BEFORE = 30;
    static final int DURING = 30;
    /**
     * How long the batch stays stuck, watched, before the kill: longer than the connector's commit interval (5 s), so
     * a service that committed offsets before storing and publishing would have committed the stuck batch by then.
     */
    static final Duration STUCK = Duration.ofSeconds(7);
    /** Longer than a batch takes here, so a late duplicate or commit shows inside it. */
    static final Duration SETTLE = Duration.ofSeconds(3);

    final HookflowSystem system = HookflowSystem.get();

    @Test
    void shouldPublishEachTaskOnceWhenRulesServiceIsKilledMidBatch() throws Exception {
        String trigger = "e2e.rulescrash_" + UUID.randomUUID().toString().substring(0, 8);
        List<String> rules = List.of(rule(trigger, "one"), rule(trigger, "two"));

        // Done before the crash: their tasks are out, their offsets may or may not be committed yet (replayed then).
        List<String> before = fire(trigger, BEFORE);
        try (TopicReader tasks = new TopicReader(system.bootstrapServers(), "action-tasks")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> pairsOf(tasks.records(r -> true), Set.copyOf(before)).size()
                    == BEFORE * rules.size());
        }

        List<String> during;
        // SHARE mode lets reads through and holds back every insert: rules-service takes the next batch, matches it
        // and then waits to record it, with no task of it published, which is the middle of a batch.
        try (Connection lock = database()) {
            lock.setAutoCommit(false);
            try (Statement sql = lock.createStatement()) {
                sql.execute("lock table rules.trigger_instance in share mode");
            }
            during = fire(trigger, DURING);
            await().atMost(Duration.ofSeconds(60)).until(this::rulesWaitsToRecord);
            Map<String, ConsumerRecord<String, String>> events = eventsByInstance(Set.copyOf(during));

            // A window, not a signal: what must not happen is a commit, and the connector commits on a timer that
            // shows nothing from outside when it fires with nothing to commit. Watched throughout, so a commit fails
            // the test as soon as it is seen, naming the stuck event it covers.
            await().during(STUCK).atMost(STUCK.plusSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .failFast("committed while the batch was stuck", () -> assertNoneCommitted(events.values()))
                    .until(() -> true);

            system.crashAndRestartRules();

            // The dead process can commit nothing more, and the new one waits for the lock: what is committed now is
            // what the killed one committed. None of the stuck events may be covered.
            assertNoneCommitted(events.values());
            lock.rollback();
        }

        awaitQuiet();
        List<String> all = new ArrayList<>(before);
        all.addAll(during);
        Map<List<String>, Set<String>> pairs = pairsOf(TopicReader.readAll(system.bootstrapServers(), "action-tasks"),
                Set.copyOf(all));
        assertEquals(all.size() * rules.size(), pairs.size(), "a task for every (trigger instance, rule): none lost");
        pairs.forEach((pair, ids) -> assertEquals(1, ids.size(), "task ids of " + pair + ": " + ids));
        assertEquals(all.size() * rules.size(), pairs.values().stream().flatMap(Set::stream).distinct().count());
        for (String rule : rules) {
            List<String> enforced = given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY)
                    .queryParam("rule", rule).queryParam("limit", 500).get("/api/v1/ruleenforcements")
                    .then().statusCode(200).extract().path("items.triggerInstanceId");
            assertEquals(all.size(), enforced.size(), "one enforcement per trigger instance of rule " + rule);
            assertEquals(Set.copyOf(all), Set.copyOf(enforced));
        }
    }

    /** No committed offset of rules' group covers any of these events: their tasks are not published yet. */
    private void assertNoneCommitted(Collection<ConsumerRecord<String, String>> events) throws Exception {
        Map<TopicPartition, Long> committed = committed();
        for (ConsumerRecord<String, String> event : events) {
            long at = committed.getOrDefault(new TopicPartition(event.topic(), event.partition()), 0L);
            assertTrue(at <= event.offset(), "committed to " + at + " past " + event.partition() + "/"
                    + event.offset() + " before its tasks were published");
        }
    }

    private String rule(String trigger, String name) {
        String body = """
                {"name": "%s", "pack": "%s", "enabled": true, "trigger": {"type": "%s"},
                 "action": {"ref": "core.http", "parameters": {"url": "%s", "method": "POST", "body": "{{ trigger.n }}"}}}
                """.formatted(name, trigger.replace('.', '_'), trigger, system.sink().url("/rules-crash/" + name));
        return given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/json").body(body)
                .post("/api/v1/rules").then().statusCode(201).extract().path("id");
    }

    /** Posts webhooks through ingest and answers the trigger instance ids it gave. */
    private List<String> fire(String trigger, int count) {
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            ids.add(given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY).contentType("application/json")
                    .body("{\"trigger\": \"" + trigger + "\", \"payload\": {\"n\": " + n + "}}")
                    .post("/api/v1/webhooks/st2").then().statusCode(202).extract().path("id"));
        }
        return ids;
    }

    /** Task ids on action-tasks per (trigger instance, rule) of the given instances; the record key is the task id. */
    private static Map<List<String>, Set<String>> pairsOf(List<ConsumerRecord<String, String>> records, Set<String> instances) {
        Map<List<String>, Set<String>> pairs = new HashMap<>();
        for (ConsumerRecord<String, String> record : records) {
            JsonPath task = JsonPath.from(record.value());
            String instance = task.getString("triggerInstanceId");
            if (instances.contains(instance)) {
                pairs.computeIfAbsent(List.of(instance, task.getString("ruleId")), pair -> new HashSet<>())
                        .add(task.getString("id"));
            }
        }
        return pairs;
    }

    /** The trigger-events records of the given instances. */
    private Map<String, ConsumerRecord<String, String>> eventsByInstance(Set<String> instances) {
        return TopicReader.readAll(system.bootstrapServers(), "trigger-events").stream()
                .filter(record -> record.value() != null
                        && instances.contains(JsonPath.from(record.value()).getString("id")))
                .collect(Collectors.toMap(record -> JsonPath.from(record.value()).getString("id"), record -> record,
                        (first, second) -> first));
    }

    /** A rules-service insert into trigger_instance is waiting for a lock. */
    private boolean rulesWaitsToRecord() throws SQLException {
        try (Connection db = database(); Statement sql = db.createStatement();
             ResultSet rows = sql.executeQuery("select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
                     + "and query ilike '%insert into rules.trigger_instance%' and pid <> pg_backend_pid()")) {
            rows.next();
            return rows.getInt(1) > 0;
        }
    }

    /** rules-service has committed everything on trigger-events, and nothing more arrives on action-tasks for a while. */
    private void awaitQuiet() throws Exception {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> lag() == 0);
        Map<TopicPartition, Long> tasksEnd = endOffsets("action-tasks");
        await().during(SETTLE).atMost(SETTLE.plusSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> lag() == 0 && endOffsets("action-tasks").equals(tasksEnd));
    }

    private long lag() throws Exception {
        Map<TopicPartition, Long> committed = committed();
        return endOffsets("trigger-events").entrySet().stream()
                .mapToLong(end -> end.getValue() - committed.getOrDefault(end.getKey(), 0L)).sum();
    }

    private Map<TopicPartition, Long> committed() throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return offsets.entrySet().stream().filter(e -> e.getValue() != null)
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }

    private Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
        try (Admin admin = admin()) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all().get(10, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, system.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000));
    }

    private Connection database() throws SQLException {
        return DriverManager.getConnection(system.postgres.jdbcUrl(), system.postgres.username(), system.postgres.password());
    }
}
