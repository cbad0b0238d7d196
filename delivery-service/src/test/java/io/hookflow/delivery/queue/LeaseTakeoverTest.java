package io.hookflow.delivery.queue;

import static io.hookflow.delivery.DeliveryTestSupport.api;
import static io.hookflow.delivery.DeliveryTestSupport.awaitStatus;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.event.OutboundRequest;
import io.hookflow.delivery.DeliveryTestSupport;
import io.hookflow.delivery.execution.ExecutionRepository;
import io.hookflow.delivery.execution.ExecutionStatus;
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
 * A replica killed mid-attempt (kill -9) leaves its execution RUNNING under a lease nobody renews. The row below is
 * exactly what such a crash leaves behind; this replica must take it over once the lease expires, and only then.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class LeaseTakeoverTest {

    static RequestSink sink;

    @Inject
    ExecutionRepository executions;

    @Inject
    QueueRepository queue;

    @BeforeAll
    static void startSink() {
        sink = RequestSink.start(0);
    }

    @AfterAll
    static void stopSink() {
        sink.close();
    }

    @Test
    void shouldDeliverAnAbandonedExecutionAsItsNextAttemptWhenTheDeadWorkersLeaseExpires() {
        UUID id = crashedMidAttempt("/hooks/abandoned", Instant.now().minusSeconds(1));

        awaitStatus(id.toString(), "SUCCEEDED")
                .body("attemptCount", equalTo(2))
                .body("attempts", hasSize(1))
                .body("attempts[0].number", equalTo(2));
        assertEquals(1, sink.requestsTo("/hooks/abandoned").size());
    }

    @Test
    void shouldLeaveARunningExecutionAloneWhileItsLeaseHolds() throws Exception {
        // The lease is the test's to end: an hour long, so it cannot run out while the test looks.
        UUID id = crashedMidAttempt("/hooks/leased", Instant.now().plus(Duration.ofHours(1)));

        // A marker due now, to the same target: once it is delivered, the worker has polled with the leased execution
        // due (it was due three minutes ago) and had every chance to take it over.
        UUID marker = DeliveryTestSupport.seed(executions, "default",
                new OutboundRequest("POST", sink.url("/hooks/lease-marker"), Map.of(), "x", null, null, null, null),
                ExecutionStatus.PENDING, Instant.now(), execution -> {
                    execution.attemptCount = 0;
                    execution.nextAttemptAt = Instant.now();
                });
        awaitStatus(marker.toString(), "SUCCEEDED");
        assertEquals(0, sink.requestsTo("/hooks/leased").size(), "the lease holder may still be sending");
        api().get("/api/v1/executions/" + id).then().body("status", equalTo("RUNNING")).body("attemptCount", equalTo(1));

        // The lease runs out (what time's passing does): now it is taken over, once.
        QuarkusTransaction.requiringNew().run(() -> executions.findById(id).leaseExpiresAt = Instant.now());
        awaitStatus(id.toString(), "SUCCEEDED").body("attemptCount", equalTo(2));
        assertEquals(1, sink.requestsTo("/hooks/leased").size());
    }

    @Test
    void shouldTakeOverAnExecutionWhoseReplicaDiedRightAfterClaimingIt() {
        // A replica claims through the real claim path (RUNNING, attempt 1, a 2 s lease), then dies: it never sends.
        UUID id = DeliveryTestSupport.seed(executions, "default",
                new OutboundRequest("POST", sink.url("/hooks/claimed-then-died"), Map.of(), "x", null, null, null, null),
                ExecutionStatus.PENDING, Instant.now(), execution -> execution.attemptCount = 0);
        long claimedAt = System.nanoTime();
        QuarkusTransaction.requiringNew().run(() -> queue.claim(List.of(id), Duration.ofSeconds(2), Instant.now()));

        awaitStatus(id.toString(), "SUCCEEDED")
                .body("attemptCount", equalTo(2))
                .body("attempts", hasSize(1))
                .body("attempts[0].number", equalTo(2));
        assertTrue(Duration.ofNanos(System.nanoTime() - claimedAt).toMillis() >= 1900, "not before the lease expired");
        assertEquals(1, sink.requestsTo("/hooks/claimed-then-died").size());
    }

    /** Attempt 1 was claimed, then its worker vanished before recording anything. */
    private UUID crashedMidAttempt(String path, Instant leaseExpiresAt) {
        return DeliveryTestSupport.seed(executions, "default",
                new OutboundRequest("POST", sink.url(path), Map.of(), "x", null, null, null, null),
                ExecutionStatus.RUNNING, Instant.now().minus(Duration.ofMinutes(3)), execution -> {
                    execution.nextAttemptAt = Instant.now().minus(Duration.ofMinutes(3));
                    execution.leaseExpiresAt = leaseExpiresAt;
                });
    }
}
