package io.hookflow.delivery.execution;

import static io.hookflow.delivery.DeliveryTestSupport.KEY;
import static io.hookflow.delivery.DeliveryTestSupport.awaitStatus;
import static io.hookflow.delivery.DeliveryTestSupport.publish;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.common.event.TaskIds;
import io.hookflow.delivery.DeliveryTestSupport;
import io.hookflow.stack.RecordedRequest;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tasks from the real broker, executions in the real database, requests to a real local HTTP target. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class DeliveryFlowTest {

    static RequestSink sink;

    @jakarta.inject.Inject
    javax.sql.DataSource dataSource;

    @BeforeAll
    static void startSink() {
        sink = RequestSink.start(0);
    }

    @AfterAll
    static void stopSink() {
        sink.close();
    }

    @BeforeEach
    void resetSink() {
        sink.respondWith(200);
        sink.clear();
    }

    @Test
    void shouldDeliverTaskAndRecordSucceededExecution() throws Exception {
        ActionTask task = task("/hooks/ok", Map.of("Content-Type", "application/json", "X-Custom", "yes"), "{\"a\":1}");
        publish(task);

        RecordedRequest received = sink.awaitRequest(Duration.ofSeconds(20));
        assertEquals("POST", received.method());
        assertEquals("/hooks/ok", received.path());
        assertEquals("{\"a\":1}", received.body());
        assertEquals("yes", received.headers().get("x-custom"));

        awaitStatus(task.id(), "SUCCEEDED")
                .body("attemptCount", equalTo(1))
                .body("attempts", hasSize(1))
                .body("attempts[0].responseStatus", equalTo(200))
                .body("attempts[0].outcome", equalTo("SUCCESS"))
                .body("attempts[0].request.body", equalTo("{\"a\":1}"))
                .body("finishedAt", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void shouldDeliverOnceWhenCopiesOfATaskArriveTogetherAndAfterItsExecutionFinished() throws Exception {
        ActionTask task = task("/hooks/once", Map.of(), "x");
        publish(task);
        publish(task);
        awaitStatus(task.id(), "SUCCEEDED");

        // A later copy, as a redelivery brings it after a consumer restart or rebalance (uncommitted offsets are read
        // again): the execution has finished by now, and must not be sent again.
        publish(task);
        DeliveryTestSupport.awaitQuiet(List.of(task.id()));

        assertEquals(1, sink.requestsTo("/hooks/once").size(), "each copy consumed, one request sent");
        given().header("St2-Api-Key", KEY).queryParam("triggerInstance", task.triggerInstanceId())
                .get("/api/v1/executions")
                .then().statusCode(200).body("items", hasSize(1))
                .body("items[0].status", equalTo("SUCCEEDED")).body("items[0].attemptCount", equalTo(1));
    }

    @Test
    void shouldRetryAfterServerErrorAndThenSucceed() throws Exception {
        sink.respondWith(503);
        ActionTask task = task("/hooks/flaky", Map.of(), "retry me");
        publish(task);
        sink.awaitRequest(Duration.ofSeconds(20));
        sink.respondWith(200);

        awaitStatus(task.id(), "SUCCEEDED")
                .body("attemptCount", equalTo(2))
                .body("attempts[0].responseStatus", equalTo(503))
                .body("attempts[0].outcome", equalTo("FAILURE"))
                .body("attempts[1].responseStatus", equalTo(200))
                // Every status change is kept with its time, oldest first.
                .body("transitions.to", org.hamcrest.Matchers.contains("PENDING", "RUNNING", "RETRYING", "RUNNING", "SUCCEEDED"))
                .body("transitions[0].from", org.hamcrest.Matchers.nullValue())
                .body("transitions[1].from", equalTo("PENDING"))
                .body("transitions[4].from", equalTo("RUNNING"))
                .body("transitions[4].at", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void shouldKeepTheStatusHistoryInTheExecutionsOwnRow() throws Exception {
        ActionTask task = task("/hooks/history", Map.of(), "history");
        publish(task);
        awaitStatus(task.id(), "SUCCEEDED")
                .body("transitions.to", org.hamcrest.Matchers.contains("PENDING", "RUNNING", "SUCCEEDED"));

        try (Connection connection = dataSource.getConnection();
             PreparedStatement history = connection.prepareStatement(
                     "select history from delivery.execution where id = ?");
             PreparedStatement rows = connection.prepareStatement(
                     "select count(*) from delivery.execution_transition where execution_id = ?")) {
            history.setObject(1, UUID.fromString(task.id()));
            rows.setObject(1, UUID.fromString(task.id()));
            try (ResultSet result = history.executeQuery()) {
                assertTrue(result.next());
                assertEquals(3, result.getString(1).lines().count(), "one line per change: " + result.getString(1));
            }
            try (ResultSet result = rows.executeQuery()) {
                assertTrue(result.next());
                assertEquals(0, result.getInt(1), "no history rows besides the execution's own");
            }
        }
    }

    @Test
    void shouldShowHistoryWrittenBeforeTheColumnExistedMergedByTime() throws Exception {
        ActionTask task = task("/hooks/old-history", Map.of(), "old");
        publish(task);
        awaitStatus(task.id(), "SUCCEEDED");
        // As a replica still on the previous version writes it during a rolling upgrade: a row in the old table.
        try (Connection connection = dataSource.getConnection();
             PreparedStatement old = connection.prepareStatement("insert into delivery.execution_transition"
                     + " (execution_id, from_status, to_status, at) values (?, 'SUCCEEDED', 'CANCELED', ?)")) {
            old.setObject(1, UUID.fromString(task.id()));
            old.setObject(2, java.time.OffsetDateTime.now().plusSeconds(1));
            old.executeUpdate();
        }
        given().header("St2-Api-Key", KEY).get("/api/v1/executions/" + task.id())
                .then().statusCode(200)
                .body("transitions.to", org.hamcrest.Matchers.contains("PENDING", "RUNNING", "SUCCEEDED", "CANCELED"))
                .body("transitions[3].from", equalTo("SUCCEEDED"));
    }

    @Test
    void shouldFailWithoutRetryingWhenTargetRejectsTheRequest() throws Exception {
        sink.respondWith(400);
        ActionTask task = task("/hooks/reject", Map.of(), "bad");
        publish(task);

        awaitStatus(task.id(), "FAILED")
                .body("attemptCount", equalTo(1))
                .body("lastError", equalTo("HTTP 400"))
                .body("nextAttemptAt", nullValue());
    }

    @Test
    void shouldFailAfterTheLastScheduledRetry() throws Exception {
        sink.respondWith(500);
        ActionTask task = task("/hooks/down", Map.of(), "never");
        publish(task);

        // The test schedule has two retries: three attempts in all.
        awaitStatus(task.id(), "FAILED")
                .body("attemptCount", equalTo(3))
                .body("attempts", hasSize(3))
                .body("attempts[2].responseStatus", equalTo(500));
    }

    @Test
    void shouldRecordConnectionErrorsAsFailedAttempts() throws Exception {
        ActionTask task = taskTo("http://127.0.0.1:1/nothing-listens-here", Map.of(), "x", null, null);
        publish(task);

        awaitStatus(task.id(), "FAILED")
                .body("attemptCount", equalTo(3))
                .body("attempts[0].responseStatus", nullValue())
                .body("attempts[0].error", org.hamcrest.Matchers.startsWith("connection failed"));
    }

    @Test
    void shouldNeverStoreOrShowCredentials() throws Exception {
        ActionTask task = taskTo(sink.url("/hooks/secret"),
                Map.of("Authorization", "Bearer s3cr3t-token", "X-Api-Token", "t0k3n"), "{}", "alice", "pa55word");
        publish(task);

        RecordedRequest received = sink.awaitRequest(Duration.ofSeconds(20));
        assertEquals("Bearer s3cr3t-token", received.headers().get("authorization"),
                "the explicit Authorization header wins over basic auth");
        String stored = awaitStatus(task.id(), "SUCCEEDED").extract().asString();
        assertFalse(stored.contains("s3cr3t-token"), stored);
        assertFalse(stored.contains("t0k3n"), stored);
        assertFalse(stored.contains("pa55word"), stored);
        assertTrue(stored.contains("********"), stored);
    }

    @Test
    void shouldPageExecutionsNewestFirst() throws Exception {
        String triggerInstance = UUID.randomUUID().toString();
        for (int i = 0; i < 3; i++) {
            publish(new ActionTask(1, TaskIds.forTask(triggerInstance, "rule-" + i), "default", triggerInstance,
                    "demo.paged", "rule-" + i, "demo.rule" + i, "core.http",
                    new OutboundRequest("POST", sink.url("/hooks/paged"), Map.of(), "p" + i, null, null, null, null),
                    Instant.now(), 0));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> given().header("St2-Api-Key", KEY)
                .queryParam("triggerInstance", triggerInstance).get("/api/v1/executions")
                .then().extract().path("items.size()").equals(3));

        String cursor = given().header("St2-Api-Key", KEY)
                .queryParam("triggerInstance", triggerInstance).queryParam("limit", 2)
                .get("/api/v1/executions")
                .then().statusCode(200).body("items", hasSize(2)).extract().path("nextCursor");
        given().header("St2-Api-Key", KEY)
                .queryParam("triggerInstance", triggerInstance).queryParam("limit", 2).queryParam("cursor", cursor)
                .get("/api/v1/executions")
                .then().statusCode(200).body("items", hasSize(1)).body("nextCursor", nullValue());
    }

    @Test
    void shouldAnswerBadQueriesWithJsonErrors() {
        given().get("/api/v1/executions").then().statusCode(401).body("error", equalTo("unauthorized"));
        given().header("St2-Api-Key", "wrong").get("/api/v1/executions").then().statusCode(401);
        given().header("St2-Api-Key", KEY).get("/api/v1/executions/" + UUID.randomUUID())
                .then().statusCode(404).body("error", equalTo("not_found"));
        given().header("St2-Api-Key", KEY).get("/api/v1/executions/not-a-uuid").then().statusCode(404);
        given().header("St2-Api-Key", KEY).queryParam("status", "BOGUS").get("/api/v1/executions")
                .then().statusCode(400).body("error", equalTo("validation_failed")).body("details[0].path", equalTo("status"));
        given().header("St2-Api-Key", KEY).queryParam("limit", "many").get("/api/v1/executions")
                .then().statusCode(400).body("details[0].path", equalTo("limit"));
        given().header("St2-Api-Key", KEY).queryParam("cursor", "garbage!").get("/api/v1/executions")
                .then().statusCode(400).body("details[0].path", equalTo("cursor"));
    }

    private ActionTask task(String path, Map<String, String> headers, String body) {
        return taskTo(sink.url(path), headers, body, null, null);
    }

    private static ActionTask taskTo(String url, Map<String, String> headers, String body, String user, String password) {
        return DeliveryTestSupport.task(new OutboundRequest("POST", url, headers, body, user, password, null, null));
    }
}
