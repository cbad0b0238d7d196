package io.hookflow.delivery.circuit;

import static io.hookflow.delivery.DeliveryTestSupport.api;
import static io.hookflow.delivery.DeliveryTestSupport.awaitStatus;
import static io.hookflow.delivery.DeliveryTestSupport.publish;
import static io.hookflow.delivery.DeliveryTestSupport.task;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.common.event.OutboundRequest.RetryOverride;
import io.hookflow.delivery.execution.ExecutionRepository;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The test profile opens a circuit after 6 consecutive failures and probes after 8 s. The open phase is checked with
 * the cool-down moved an hour ahead and then ended by the test, so no step has to fit inside the 8 s.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class CircuitBreakerTest {

    static final int THRESHOLD = 6;
    static RequestSink sink;

    @Inject
    CircuitRepository circuits;
    @Inject
    ExecutionRepository executions;

    @BeforeAll
    static void startSink() {
        sink = RequestSink.start(0);
    }

    @AfterAll
    static void stopSink() {
        sink.close();
    }

    @Test
    void shouldParkDeliveriesWhileOpenAndCloseAfterOneSuccessfulProbe() throws Exception {
        String destination = "127.0.0.1:" + sink.port();
        sink.respondWith(503);
        for (int i = 0; i < THRESHOLD; i++) {
            ActionTask failing = once(sink.url("/hooks/down/" + i));
            publish(failing);
            awaitStatus(failing.id(), "FAILED");
        }
        api().get("/api/v1/destinations").then().statusCode(200)
                .body("items.find { it.destination == '" + destination + "' }.state", equalTo("OPEN"))
                .body("items.find { it.destination == '" + destination + "' }.consecutiveFailures", equalTo(THRESHOLD))
                .body("items.find { it.destination == '" + destination + "' }.lastError", equalTo("HTTP 503"))
                .body("items.find { it.destination == '" + destination + "' }.openedAt", notNullValue())
                .body("items.find { it.destination == '" + destination + "' }.nextProbeAt", notNullValue());
        int sentWhileClosed = sink.requests().size();
        // The cool-down is the test's to end: an hour ahead while the open circuit is observed, so no probe can go
        // before the checks below are done, however slow the machine.
        setProbeTime(destination, Instant.now().plus(Duration.ofHours(1)), List.of());

        // While open: parked as RETRYING, nothing sent, no attempt counted.
        List<ActionTask> parked = List.of(patient(sink.url("/hooks/parked/1")), patient(sink.url("/hooks/parked/2")),
                patient(sink.url("/hooks/parked/3")));
        for (ActionTask task : parked) {
            publish(task);
        }
        for (ActionTask task : parked) {
            awaitStatus(task.id(), "RETRYING")
                    .body("attemptCount", equalTo(0))
                    .body("lastError", containsString("circuit open for " + destination))
                    .body("nextAttemptAt", notNullValue());
        }
        assertEquals(sentWhileClosed, sink.requests().size(), "nothing is sent to an open circuit");
        // The gauge is refreshed every 5 s; 30 s leaves room for a stalled JVM on a busy machine.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/metrics").then()
                .body(containsString("hookflow_delivery_open_circuits 1.0")));

        // The target recovers and the cool-down ends (what its passing does: the circuit and what it parked are due
        // now): one probe goes, succeeds, and the parked rest follow at once.
        sink.respondWith(200);
        setProbeTime(destination, Instant.now(), parked.stream().map(task -> UUID.fromString(task.id())).toList());
        for (ActionTask task : parked) {
            awaitStatus(task.id(), "SUCCEEDED");
        }
        api().get("/api/v1/destinations").then().statusCode(200)
                .body("items.find { it.destination == '" + destination + "' }.state", equalTo("CLOSED"))
                .body("items.find { it.destination == '" + destination + "' }.consecutiveFailures", equalTo(0));
    }

    @Test
    void shouldListOnlyTheCallersOwnDestinations() {
        QuarkusTransaction.requiringNew().run(() -> {
            circuits.ensure("other-org", "foreign.example.com:443", Instant.now());
            circuits.ensure("default", "own.example.com:443", Instant.now());
        });

        api().get("/api/v1/destinations").then().statusCode(200)
                .body("items.destination", hasItem("own.example.com:443"))
                .body("items.destination", not(hasItem("foreign.example.com:443")));
        given().get("/api/v1/destinations").then().statusCode(401).body("error", equalTo("unauthorized"));
    }

    /** Moves the open circuit's probe time, and that of the executions it parked, to {@code at}. */
    private void setProbeTime(String destination, Instant at, List<UUID> parkedIds) {
        QuarkusTransaction.requiringNew().run(() -> {
            Circuit open = circuits.lock("default", destination).orElseThrow();
            assertEquals(CircuitState.OPEN, open.state());
            circuits.update("default", new Circuit(open.destination(), open.state(), open.consecutiveFailures(),
                    open.lastError(), open.openedAt(), at, Instant.now(), open.failingSince(), open.disabledAt()));
            if (!parkedIds.isEmpty()) {
                executions.update("nextAttemptAt = ?1 where id in ?2", at, parkedIds);
            }
        });
    }

    /** Attempts enough to outlive a failed probe, should one happen before the target recovers. */
    private static ActionTask patient(String url) {
        return task(new OutboundRequest("POST", url, Map.of(), "c", null, null, null, null, null,
                new RetryOverride(3, List.of(1))));
    }

    /** One attempt only, so each failure is one execution and the count is exact. */
    private static ActionTask once(String url) {
        return task(new OutboundRequest("POST", url, Map.of(), "c", null, null, null, null, null,
                new RetryOverride(1, null)));
    }
}
