package io.hookflow.delivery.execution;

import static io.hookflow.delivery.DeliveryTestSupport.awaitStatus;
import static io.hookflow.delivery.DeliveryTestSupport.publish;
import static io.hookflow.delivery.DeliveryTestSupport.task;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.event.ActionTask;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Intake under faults: the database goes away while tasks arrive (they wait in Kafka and are delivered once it is back,
 * instead of the intake channel giving up), and a task whose content the database refuses (recorded FAILED with the
 * reason, without holding back the next one).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class IntakeFaultsTest {

    static RequestSink sink;

    @BeforeAll
    static void startSink() {
        sink = RequestSink.start(0);
    }

    @AfterAll
    static void stopSink() {
        sink.close();
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
                publish(first);
                // Long enough for several failed attempts at recording, and for a channel that gave up to show it.
                Thread.sleep(4000);
                publish(second);
                Thread.sleep(1000);
                assertTrue(sink.requests().stream().noneMatch(request -> request.path().startsWith("/hooks/during")),
                        "nothing is sent before it is recorded");
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
