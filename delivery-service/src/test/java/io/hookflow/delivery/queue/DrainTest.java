package io.hookflow.delivery.queue;

import static io.hookflow.delivery.DeliveryTestSupport.api;
import static io.hookflow.delivery.DeliveryTestSupport.awaitStatus;
import static io.hookflow.delivery.DeliveryTestSupport.publish;
import static io.hookflow.delivery.DeliveryTestSupport.task;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.event.ActionTask;
import io.hookflow.delivery.execution.Execution;
import io.hookflow.delivery.execution.ExecutionRepository;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker's graceful drain, as on SIGTERM: an attempt that finishes within the drain is recorded as usual; one that
 * outlives it is handed back (still RUNNING, lease ended now) for another replica to claim at once, and its late
 * outcome is not recorded by the replica that gave it up. Its own profile: the drain stops this app's worker for good.
 */
@QuarkusTest
@TestProfile(DrainTest.OwnApp.class)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class DrainTest {

    /** A lease far longer than the test, so only a hand-back can end it early. */
    public static class OwnApp implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hookflow.delivery.lease", "10m");
        }
    }

    static RequestSink quick;
    static RequestSink slow;

    @Inject
    DeliveryWorker worker;

    @Inject
    ExecutionRepository executions;

    @BeforeAll
    static void startTargets() {
        quick = RequestSink.start(0);
        slow = RequestSink.start(0);
    }

    @AfterAll
    static void stopTargets() {
        quick.close();
        slow.close();
    }

    @Test
    void shouldRecordWhatFinishesWithinTheDrainAndHandBackWhatDoesNot() throws Exception {
        quick.hold("/drain", 1);
        slow.hold("/drain", 1);
        ActionTask finishes = task("POST", quick.url("/drain/quick"), Map.of(), "q", null);
        ActionTask outlives = task("POST", slow.url("/drain/slow"), Map.of(), "s", null);
        publish(finishes);
        publish(outlives);
        quick.awaitRequestTo("/drain", Duration.ofSeconds(30));
        slow.awaitRequestTo("/drain", Duration.ofSeconds(30));

        CompletableFuture<DeliveryWorker.Drained> drain = CompletableFuture.supplyAsync(
                () -> worker.drain(Duration.ofSeconds(2)));
        await().atMost(Duration.ofSeconds(5)).until(() -> !worker.running());
        quick.releaseHeld(); // answers while the drain waits
        DeliveryWorker.Drained drained = drain.get();

        assertEquals(2, drained.inFlight());
        assertEquals(1, drained.handedBack());
        assertEquals(0, drained.unrecorded());
        awaitStatus(finishes.id(), "SUCCEEDED").body("attempts", hasSize(1));
        Execution handedBack = QuarkusTransaction.requiringNew().call(() -> executions.findById(UUID.fromString(outlives.id())));
        assertEquals("RUNNING", handedBack.status.name(), "still the attempt's, as after a crash, for another replica");
        assertTrue(!handedBack.leaseExpiresAt.isAfter(Instant.now()), "lease ended at once: " + handedBack.leaseExpiresAt);

        // The given-up attempt now gets its answer: this replica must not record it (another one owns it now).
        slow.releaseHeld();
        await().atMost(Duration.ofSeconds(10)).until(() -> !slow.deliveredTo("/drain").isEmpty());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
                api().get("/api/v1/executions/" + outlives.id()).then().extract().<java.util.List<?>>path("attempts")
                        .isEmpty());
        api().get("/api/v1/executions/" + outlives.id()).then().body("status", equalTo("RUNNING"));
    }
}
