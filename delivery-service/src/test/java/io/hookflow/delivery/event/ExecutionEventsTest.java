package io.hookflow.delivery.event;

import io.hookflow.delivery.execution.ExecutionEventOutbox;

import static io.hookflow.delivery.DeliveryTestSupport.awaitStatus;
import static io.hookflow.delivery.DeliveryTestSupport.publish;
import static io.hookflow.delivery.DeliveryTestSupport.task;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.ExecutionEvent;
import io.hookflow.common.event.Topics;
import io.hookflow.delivery.execution.Execution;
import io.hookflow.delivery.execution.ExecutionStatus;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.hookflow.stack.testing.TopicReader;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Status changes as a real consumer of the execution-events topic sees them. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class ExecutionEventsTest {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    static RequestSink sink;
    static TopicReader eventTopic;

    @Inject
    ExecutionEventOutbox outbox;

    @Inject
    EntityManager entityManager;

    @BeforeAll
    static void start() {
        sink = RequestSink.start(0);
        eventTopic = new TopicReader(KafkaTestResource.broker().bootstrapServers(), Topics.EXECUTION_EVENTS);
    }

    @AfterAll
    static void stop() {
        eventTopic.close();
        sink.close();
    }

    @Test
    void shouldPublishEveryStatusChangeInOrderKeyedByExecutionId() throws Exception {
        ActionTask task = task("POST", sink.url("/hooks/events"), Map.of(), "e", null);
        publish(task);
        awaitStatus(task.id(), "SUCCEEDED");

        List<ExecutionEvent> events = awaitEvents(task.id(), "SUCCEEDED");

        assertEquals(List.of("PENDING", "RUNNING", "SUCCEEDED"), events.stream().map(ExecutionEvent::status).toList());
        assertNull(events.get(0).previousStatus());
        assertEquals("PENDING", events.get(1).previousStatus());
        assertEquals("RUNNING", events.get(2).previousStatus());
        ExecutionEvent last = events.get(2);
        assertEquals(ExecutionEvent.VERSION, last.version());
        assertEquals("default", last.orgId());
        assertEquals("rule-1", last.ruleId());
        assertEquals("demo.test_rule", last.ruleRef());
        assertEquals(task.triggerInstanceId(), last.triggerInstanceId());
        assertEquals(1, last.attemptCount());
        assertEquals(0, last.depth());
        await().atMost(Duration.ofSeconds(20)).until(() -> outboxRows(task.id()) == 0);
    }

    @Test
    void shouldPublishEachStatusEventAsASpanOfTheTasksTraceSoARuleOnTheStatusContinuesIt() throws Exception {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        ActionTask task = task("POST", sink.url("/hooks/events-traced"), Map.of(), "e", null);
        publish(task, "00-" + trace + "-00f067aa0ba902b7-01");
        awaitEvents(task.id(), "SUCCEEDED");

        List<String> traceparents = eventTopic.records(record -> task.id().equals(record.key())).stream()
                .map(record -> record.headers().lastHeader("traceparent"))
                .map(header -> header == null ? null : new String(header.value(), StandardCharsets.UTF_8))
                .toList();

        assertEquals(3, traceparents.size(), "PENDING, RUNNING, SUCCEEDED: " + traceparents);
        for (String traceparent : traceparents) {
            assertNotNull(traceparent, "every status event carries the trace: " + traceparents);
            assertEquals(trace, traceparent.split("-")[1], "in the task's trace: " + traceparents);
            assertNotEquals("00f067aa0ba902b7", traceparent.split("-")[2], "as a span of its own: " + traceparents);
        }
        assertEquals(3, traceparents.stream().distinct().count(), "a span per event: " + traceparents);
    }

    @Test
    void shouldPublishStatusEventsWithoutATraceWhenTheTaskCameWithout() throws Exception {
        ActionTask task = task("POST", sink.url("/hooks/events-untraced"), Map.of(), "e", null);
        publish(task);
        awaitEvents(task.id(), "SUCCEEDED");

        // Delivery starts a trace of its own at intake (as for any record without a context): still one trace.
        List<String> traces = eventTopic.records(record -> task.id().equals(record.key())).stream()
                .map(record -> record.headers().lastHeader("traceparent"))
                .map(header -> header == null ? "none" : new String(header.value(), StandardCharsets.UTF_8).split("-")[1])
                .toList();
        assertEquals(3, traces.size(), "PENDING, RUNNING, SUCCEEDED: " + traces);
        assertEquals(1, traces.stream().distinct().count(), "all in the one trace intake started: " + traces);
        assertNotEquals("none", traces.get(0), "every status event carries it: " + traces);
    }

    @Test
    void shouldPublishTheFailureWithItsReason() throws Exception {
        sink.respondWith(400);
        try {
            ActionTask task = task("POST", sink.url("/hooks/events-fail"), Map.of(), "e", null);
            publish(task);

            List<ExecutionEvent> events = awaitEvents(task.id(), "FAILED");

            ExecutionEvent failed = events.get(events.size() - 1);
            assertEquals("RUNNING", failed.previousStatus());
            assertEquals("HTTP 400", failed.lastError());
        } finally {
            sink.respondWith(200);
        }
    }

    @Test
    void shouldPublishAnEventLeftInTheOutboxByAReplicaThatDiedBeforePublishing() throws Exception {
        // A committed status change whose publisher never ran: exactly the state a crash after commit leaves behind.
        Execution orphan = new Execution();
        orphan.id = UUID.randomUUID();
        orphan.orgId = "default";
        orphan.status = ExecutionStatus.RUNNING;
        orphan.attemptCount = 3;
        orphan.depth = 2;
        QuarkusTransaction.requiringNew().run(() ->
                outbox.write(io.hookflow.delivery.execution.ExecutionLifecycle.fail(orphan, "HTTP 500", Instant.now())));

        ExecutionEvent event = awaitEvents(orphan.id.toString(), "FAILED").get(0);

        assertEquals(3, event.attemptCount());
        assertEquals(2, event.depth());
    }

    @Test
    void shouldRelayAnEventThatAnOlderReplicaWroteAsARowOfItsOwn() throws Exception {
        // Before bundling, each event had its own outbox row; a replica on the old version writes them so mid-upgrade.
        String id = UUID.randomUUID().toString();
        String payload = JSON.writeValueAsString(new ExecutionEvent(ExecutionEvent.VERSION, id, "default", "rule-1",
                "demo.test_rule", null, null, "SUCCEEDED", "RUNNING", 1, null, Instant.now(), 0));
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery("""
                        insert into delivery.execution_event_outbox (execution_id, payload, created_at)
                        values (cast(:id as uuid), cast(:payload as jsonb), now())""")
                .setParameter("id", id)
                .setParameter("payload", payload)
                .executeUpdate());

        ExecutionEvent event = awaitEvents(id, "SUCCEEDED").get(0);

        assertEquals("RUNNING", event.previousStatus());
        await().atMost(Duration.ofSeconds(20)).until(() -> outboxRows(id) == 0);
    }

    /** The events keyed by this execution id, once one with the final status has arrived. */
    private static List<ExecutionEvent> awaitEvents(String executionId, String finalStatus) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> eventsFor(executionId).stream().anyMatch(e -> e.status().equals(finalStatus)));
        return eventsFor(executionId);
    }

    private static List<ExecutionEvent> eventsFor(String executionId) {
        return eventTopic.records(record -> executionId.equals(record.key())).stream().map(record -> {
            try {
                return JSON.readValue(record.value(), ExecutionEvent.class);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private long outboxRows(String executionId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager.createNativeQuery(
                        "select count(*) from delivery.execution_event_outbox"
                                + " where cast(execution_id as text) = :id or strpos(events, :id) > 0")
                .setParameter("id", executionId).getSingleResult()).longValue());
    }
}
