package io.hookflow.rules.enforcement;

import static io.hookflow.rules.support.Events.createRule;
import static io.hookflow.rules.support.Events.newTriggerType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.TaskIds;
import io.hookflow.common.event.Topics;
import io.hookflow.rules.index.RuleIndex;
import io.hookflow.rules.records.RecordOutcomes;
import io.hookflow.rules.support.Enforcement;
import io.hookflow.rules.support.Events;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.LogCounter;
import io.hookflow.stack.testing.RefusedWrites;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Enforcement while its parts fail, against the real database and broker: PostgreSQL refusing connections, the broker
 * restarting, and the broker refusing the tasks while a batch of trigger events is half done. Each time no event is
 * lost, and each (trigger instance, rule) ends as exactly one task id on action-tasks and one enforcement record,
 * checked after the system is quiet (rules-service committed everything, then nothing more arrived for a settle
 * window).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class EnforcementFaultsTest {

    static final int EVENTS = 60;
    /** Longer than a batch takes here (milliseconds), so a late duplicate or a late commit shows inside it. */
    static final Duration SETTLE = Duration.ofSeconds(2);
    /**
     * RecordOutcomes retries after 0.2, 0.4, 0.8, 1.6 and 3.2 s: a batch that failed to record this many times has
     * been stuck over 6 s, longer than the connector's 5 s commit interval, so a consumer that committed before the
     * batch was stored would have committed by then.
     */
    static final int FAILURES_PAST_A_COMMIT_INTERVAL = 6;

    /** Longer than the connector's commit interval (5 s): an event acknowledged too early would be committed. */
    static final Duration PAST_A_COMMIT_INTERVAL = Duration.ofSeconds(6);

    final LogCounter recordFailures = new LogCounter(RecordOutcomes.class, "Could not record");
    /** A batch may meet the outage one step earlier, when the rules it must be matched against need reloading. */
    final LogCounter ruleLoadFailures = new LogCounter(RuleIndex.class, "Could not load the rules");
    final LogCounter publishFailures = new LogCounter(TaskPublisher.class, "Could not publish");

    @BeforeEach
    void listen() {
        recordFailures.attach();
        ruleLoadFailures.attach();
        publishFailures.attach();
    }

    @AfterEach
    void stopListening() throws SQLException {
        recordFailures.detach();
        ruleLoadFailures.detach();
        publishFailures.detach();
        Database.reopen();
        // Pooled connections the outage terminated fail once each when next used, then leave the pool: use them up
        // here (the pool holds at most 20), so that the next test meets a working database.
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (int i = 0; i < 25; i++) {
                if (Events.api().get("/api/v1/rules?pack=none").statusCode() != 200) {
                    return false;
                }
            }
            return true;
        });
    }

    @Test
    void shouldRecordAndPublishEachTaskOnceWhenTheDatabaseIsCutOffMidBatch() throws Exception {
        String trigger = newTriggerType();
        List<String> rules = twoRules(trigger);
        List<String> instances = new ArrayList<>();
        // Some events are under way when the database goes, the rest arrive while it is away.
        List<RecordMetadata> before = publishEvents(trigger, EVENTS / 3, instances);

        List<RecordMetadata> during;
        Database.cutOff();
        try {
            during = publishEvents(trigger, EVENTS - EVENTS / 3, instances);
            await().atMost(Duration.ofSeconds(60)).until(() -> heldAtTheDatabase() >= FAILURES_PAST_A_COMMIT_INTERVAL);

            // Stuck at the database: nothing of these events is committed, and no task went out before its records.
            assertNoneCommitted(during);
            assertTrue(Enforcement.tasksOf(Set.copyOf(instances.subList(EVENTS / 3, EVENTS))).isEmpty(),
                    "a task was published before its trigger instance was recorded");
        } finally {
            Database.reopen();
        }

        Enforcement.awaitQuiet(SETTLE);
        assertTrue(Enforcement.committedPast(before) && Enforcement.committedPast(during));
        assertEachTaskOnce(instances, rules);
    }

    @Test
    void shouldPublishEachTaskOnceWhenTheBrokerRestartsMidBatch() throws Exception {
        String trigger = newTriggerType();
        List<String> rules = twoRules(trigger);
        List<String> instances = new ArrayList<>();

        // Hold the batch at the database first, so that it is surely fetched and under way when the broker stops.
        Database.cutOff();
        try {
            publishEvents(trigger, EVENTS, instances);
            await().atMost(Duration.ofSeconds(60)).until(() -> heldAtTheDatabase() >= 1);
            KafkaTestResource.restartBroker(() -> {
                try {
                    Database.reopen();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                // The batches under way store their records now and publish to a broker that is away: wait until a
                // publish has failed, past the producer's own retries, so that only the service's retry can still save
                // those tasks. Events not fetched yet are handled after the restart.
                await().atMost(Duration.ofSeconds(60)).until(() -> Database.recordedInstances(instances) >= 1);
                await().atMost(Duration.ofSeconds(90)).until(() -> publishFailures.count() >= 1);
            });
        } finally {
            Database.reopen();
        }

        Enforcement.awaitQuiet(SETTLE);
        assertEachTaskOnce(instances, rules);
    }

    /**
     * The broker stays up and rules-service keeps its partitions, but action-tasks refuses every write. Only the
     * service's own retry of the publish can save these tasks: a broker restart also takes the partitions back and
     * redelivers every uncommitted event, which hides a service that gave up on a refused batch and let it be
     * committed. Nothing may be committed until the tasks are on the broker.
     */
    @Test
    void shouldCommitNoEventWhileTheBrokerRefusesItsTasksAndPublishEachOnceItAccepts() throws Exception {
        String trigger = newTriggerType();
        List<String> rules = twoRules(trigger);
        List<String> instances = new ArrayList<>();
        List<RecordMetadata> refused;
        try (RefusedWrites tasksRefused = RefusedWrites.to(KafkaTestResource.broker().bootstrapServers(),
                Topics.ACTION_TASKS)) {
            refused = publishEvents(trigger, EVENTS / 3, instances);
            // Refused and retried (each try logs): the batches are stored and stuck at the broker.
            await().atMost(Duration.ofSeconds(60)).until(() -> publishFailures.count() >= 2);
            // A window, not a signal: what must not happen is a commit, and the connector commits on a timer that
            // shows nothing from outside when it fires with nothing to commit. Watched throughout, so a commit fails
            // the test as soon as it is seen.
            await().during(PAST_A_COMMIT_INTERVAL).atMost(PAST_A_COMMIT_INTERVAL.plusSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .failFast("committed while the broker refused the tasks", () -> assertNoneCommitted(refused))
                    .until(() -> true);
        }

        Enforcement.awaitQuiet(SETTLE);
        assertTrue(Enforcement.committedPast(refused));
        assertEachTaskOnce(instances, rules);
    }

    /** No committed offset of rules-service covers any of these events: their tasks are not all published yet. */
    private static void assertNoneCommitted(List<RecordMetadata> events) {
        Map<TopicPartition, Long> committed = Enforcement.committed();
        for (RecordMetadata event : events) {
            long at = committed.getOrDefault(new TopicPartition(event.topic(), event.partition()), 0L);
            assertTrue(at <= event.offset(), "committed to " + at + " past event " + event + " before its tasks were safe");
        }
    }

    /** Failed tries to reach the database, loading rules or recording: each is retried with the same back-off. */
    private long heldAtTheDatabase() {
        return recordFailures.count() + ruleLoadFailures.count();
    }

    private static List<String> twoRules(String trigger) {
        return List.of(
                createRule(trigger, "{}", "{\"url\": \"https://one.example.com/{{ trigger.n }}\"}"),
                createRule(trigger, "{}", "{\"url\": \"https://two.example.com/{{ trigger.n }}\"}"));
    }

    /** Publishes events keyed by instance id, so they spread over every partition and over several batches. */
    private static List<RecordMetadata> publishEvents(String trigger, int count, List<String> instances) {
        List<RecordMetadata> published = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String instance = UUID.randomUUID().toString();
            instances.add(instance);
            published.add(Events.publish(Events.st2Event(instance, trigger, "{\"n\": " + instances.size() + "}", 0), instance));
        }
        return published;
    }

    /**
     * Exactly one task id per (trigger instance, rule) on action-tasks, none missing and none extra; a task published
     * again (a batch retried after a fault) carries the same id and the same request, which delivery-service turns
     * into one execution. And exactly one enforcement record per pair, each naming that task.
     */
    private static void assertEachTaskOnce(List<String> instances, List<String> rules) throws SQLException {
        Map<String, List<ActionTask>> byId = Enforcement.tasksOf(Set.copyOf(instances)).stream()
                .collect(Collectors.groupingBy(ActionTask::id));
        Set<String> expected = new HashSet<>();
        for (String instance : instances) {
            for (String rule : rules) {
                expected.add(TaskIds.forTask(instance, rule));
            }
        }
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(byId.keySet());
        Set<String> extra = new HashSet<>(byId.keySet());
        extra.removeAll(expected);
        assertTrue(missing.isEmpty(), missing.size() + " task(s) lost, e.g. " + missing.stream().limit(3).toList());
        assertTrue(extra.isEmpty(), extra.size() + " unexpected task id(s), e.g. " + extra.stream().limit(3).toList());
        byId.forEach((id, copies) -> assertEquals(1, copies.stream().map(t -> List.of(t.triggerInstanceId(), t.ruleId(),
                t.request())).distinct().count(), "copies of task " + id + " differ"));

        Map<String, Integer> enforcements = Database.enforcementsPerPair(instances);
        assertEquals(expected.size(), enforcements.size(), "one enforcement per (trigger instance, rule)");
        enforcements.forEach((pair, count) -> assertEquals(1, count, "enforcements of " + pair));
        assertEquals(instances.size(), Database.recordedInstances(instances), "every trigger instance recorded");
    }

    /** The real PostgreSQL, driven from its maintenance database, which stays reachable while hookflow's is closed. */
    static final class Database {

        static void cutOff() throws SQLException {
            try (Connection admin = maintenance(); Statement sql = admin.createStatement()) {
                sql.execute("alter database hookflow allow_connections false");
                sql.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = 'hookflow'");
            }
        }

        static void reopen() throws SQLException {
            try (Connection admin = maintenance(); Statement sql = admin.createStatement()) {
                sql.execute("alter database hookflow allow_connections true");
            }
        }

        static int recordedInstances(List<String> instances) throws SQLException {
            try (Connection db = hookflow(); Statement sql = db.createStatement();
                 ResultSet rows = sql.executeQuery("select count(*) from rules.trigger_instance where id in (" + quoted(instances)
                         + ") and status = 'processed'")) {
                rows.next();
                return rows.getInt(1);
            }
        }

        static Map<String, Integer> enforcementsPerPair(List<String> instances) throws SQLException {
            Map<String, Integer> pairs = new HashMap<>();
            try (Connection db = hookflow(); Statement sql = db.createStatement();
                 ResultSet rows = sql.executeQuery("select trigger_instance_id, rule_id, execution_id, status, count(*) over "
                         + "(partition by trigger_instance_id, rule_id) from rules.rule_enforcement where trigger_instance_id in ("
                         + quoted(instances) + ")")) {
                while (rows.next()) {
                    String pair = rows.getString(1) + "/" + rows.getString(2);
                    assertEquals(TaskIds.forTask(rows.getString(1), rows.getString(2)), rows.getString(3), pair);
                    assertEquals("succeeded", rows.getString(4), pair);
                    pairs.put(pair, rows.getInt(5));
                }
            }
            return pairs;
        }

        private static String quoted(List<String> ids) {
            return ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
        }

        private static Connection maintenance() throws SQLException {
            return DriverManager.getConnection(PostgresTestResource.jdbcUrl().replaceFirst("/hookflow$", "/postgres"),
                    "postgres", "postgres");
        }

        private static Connection hookflow() throws SQLException {
            return DriverManager.getConnection(PostgresTestResource.jdbcUrl(), "postgres", "postgres");
        }
    }
}
