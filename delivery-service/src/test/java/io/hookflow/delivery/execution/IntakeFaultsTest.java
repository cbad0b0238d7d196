package io.hookflow.delivery.execution;

import static io.hookflow.delivery.DeliveryTestSupport.awaitStatus;
import static io.hookflow.delivery.DeliveryTestSupport.committed;
import static io.hookflow.delivery.DeliveryTestSupport.publish;
import static io.hookflow.delivery.DeliveryTestSupport.task;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.event.ActionTask;
import io.hookflow.delivery.intake.ActionTaskConsumer;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.LogCounter;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Intake under faults: the database goes away while tasks arrive (they wait in Kafka, unacknowledged, and are
 * delivered once it is back, instead of the intake channel giving up), and a task whose content the database refuses
 * (recorded FAILED with the reason, without holding back the next one).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class IntakeFaultsTest {

    /** A failed try and a retry: the intake holds the first task at the database and keeps trying. */
    static final int FAILURES_UNDER_WAY = 2;
    /** Longer than the connector's commit interval (5 s): a task acknowledged before it was stored would be committed. */
    static final Duration PAST_A_COMMIT_INTERVAL = Duration.ofSeconds(6);

    static RequestSink sink;
    final LogCounter recordFailures = new LogCounter(ActionTaskConsumer.class, "Could not record action tasks");

    @BeforeAll
    static void startSink() {
        sink = RequestSink.start(0);
    }

    @AfterAll
    static void stopSink() {
        sink.close();
    }

    @BeforeEach
    void listen() {
        recordFailures.attach();
    }

    @AfterEach
    void stopListening() {
        recordFailures.detach();
    }

    @Test
    void shouldDeliverTasksThatArrivedWhileTheDatabaseWasAway() throws Exception {
        ActionTask first = task("POST", sink.url("/hooks/during-outage-1"), Map.of(), "1", null);
        ActionTask second = task("POST", sink.url("/hooks/during-outage-2"), Map.of(), "2", null);
        // From the server's maintenance database, which stays reachable while hookflow's is closed.
        try (Connection admin = DriverManager.getConnection(
                PostgresTestResource.jdbcUrl().replaceFirst("/hookflow$", "/postgres"), "postgres", "postgres");
             Statement sql = admin.createStatement()) {
            try {
                sql.execute("alter database hookflow allow_connections false");
                sql.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = 'hookflow'");
                RecordMetadata firstAt = publish(first);
                // Seen failing and retrying at the database (each try logs), not guessed with a sleep.
                await().atMost(Duration.ofSeconds(60)).until(() -> recordFailures.count() >= FAILURES_UNDER_WAY);
                RecordMetadata secondAt = publish(second);

                // Stuck at the database: neither task is acknowledged, and nothing goes out before it is recorded. A
                // window, not a signal: what must not happen is a commit, and the connector commits on a timer that
                // shows nothing from outside when it fires with nothing to commit. Watched throughout, so a commit or
                // a send fails the test as soon as it is seen.
                await().during(PAST_A_COMMIT_INTERVAL).atMost(PAST_A_COMMIT_INTERVAL.plusSeconds(30))
                        .pollInterval(Duration.ofMillis(500))
                        .failFast("acknowledged or sent while the database was away", () -> {
                            Map<TopicPartition, Long> committed = committed();
                            for (RecordMetadata task : List.of(firstAt, secondAt)) {
                                long at = committed.getOrDefault(new TopicPartition(task.topic(), task.partition()), 0L);
                                assertTrue(at <= task.offset(), "committed to " + at + " past " + task
                                        + " before it was stored");
                            }
                            assertTrue(sink.requests().stream().noneMatch(request ->
                                    request.path().startsWith("/hooks/during")), "nothing is sent before it is recorded");
                        })
                        .until(() -> true);
            } finally {
                reopen(sql);
            }
        }

        awaitStatus(first.id(), "SUCCEEDED");
        awaitStatus(second.id(), "SUCCEEDED");
        assertEquals(1, sink.requestsTo("/hooks/during-outage-1").size());
        assertEquals(1, sink.requestsTo("/hooks/during-outage-2").size());
    }

    @Test
    void shouldFailATaskTheDatabaseCannotStoreAndDeliverTheOneBehindIt() throws Exception {
        // PostgreSQL text and jsonb cannot hold NUL: this body is refused as it is.
        ActionTask unstorable = task("POST", sink.url("/hooks/with-nul"), Map.of(), "before\u0000after", null);
        ActionTask behind = task("POST", sink.url("/hooks/behind-nul"), Map.of(), "fine", null);
        publish(unstorable);
        publish(behind);

        awaitStatus(behind.id(), "SUCCEEDED");
        awaitStatus(unstorable.id(), "FAILED")
                .body("lastError", containsString("could not be stored as it came"))
                .body("attempts.size()", equalTo(0));
        assertTrue(sink.requestsTo("/hooks/with-nul").isEmpty(), "nothing is sent for a task that was not stored");
        assertEquals(1, sink.requestsTo("/hooks/behind-nul").size());
    }

    private static void reopen(Statement sql) throws SQLException {
        sql.execute("alter database hookflow allow_connections true");
    }
}
