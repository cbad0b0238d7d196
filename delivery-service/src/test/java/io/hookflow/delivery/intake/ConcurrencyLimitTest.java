package io.hookflow.delivery.intake;

import static io.hookflow.delivery.DeliveryTestSupport.api;
import static io.hookflow.delivery.DeliveryTestSupport.awaitStatus;
import static io.hookflow.delivery.DeliveryTestSupport.publish;
import static io.hookflow.delivery.DeliveryTestSupport.task;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookflow.common.event.ActionTask;
import io.hookflow.delivery.HoldingTargets;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One slow destination cannot starve the rest: the test profile allows 4 requests in flight per destination. The slow
 * target holds every request until the test releases it and counts how many it holds at once, so it would show far
 * more than 4 if they were sent.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class ConcurrencyLimitTest {

    static final int PER_DESTINATION = 4;
    static final int SLOW_TASKS = 12;
    static HoldingTargets slow;
    static RequestSink fast;

    @BeforeAll
    static void startTargets() {
        slow = HoldingTargets.start(1);
        fast = RequestSink.start(0);
    }

    @AfterAll
    static void stopTargets() {
        slow.close();
        fast.close();
    }

    @Test
    void shouldDeliverToAFastDestinationPromptlyWhileASlowOneHoldsItsCap() throws Exception {
        List<ActionTask> slowTasks = new ArrayList<>();
        for (int i = 0; i < SLOW_TASKS; i++) {
            ActionTask task = task("POST", slow.url(0, "/hooks/slow"), Map.of(), "slow " + i, null);
            slowTasks.add(task);
            publish(task);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> slow.holding() == PER_DESTINATION);

        // The fast destination must not wait for the slow one's slots. No stopwatch: the slow target holds its four
        // requests until this test releases them (after the fast one arrived), so a fast task stuck behind them would
        // never arrive here at all, however slow or fast the machine.
        ActionTask fastTask = task("POST", fast.url("/hooks/fast"), Map.of(), "fast", null);
        publish(fastTask);
        fast.awaitRequestTo("/hooks/fast", Duration.ofSeconds(60));
        awaitStatus(fastTask.id(), "SUCCEEDED");
        assertEquals(PER_DESTINATION, slow.holding(), "the slow requests were all still held meanwhile");

        // The other eight wait for a slot, not sent: at intake for a moment (the fast task may go ahead of them from the
        // same batch), then queued in the database, where the claims skip their saturated destination.
        assertEquals(PER_DESTINATION, slow.mostHeldAtOnce());
        for (ActionTask task : slowTasks) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> api().get("/api/v1/executions/" + task.id()).statusCode() == 200);
        }
        assertEquals(PER_DESTINATION, slow.holding(), "still only the cap's worth sent");
        long started = slowTasks.stream()
                .filter(task -> (int) api().get("/api/v1/executions/" + task.id()).then().extract().path("attemptCount") > 0)
                .count();
        assertEquals(PER_DESTINATION, started, "only the cap's worth of slow executions has an attempt");

        // Drained a round at a time, every request held until released, so the cap is checked while draining too.
        slow.releaseInRounds(SLOW_TASKS, PER_DESTINATION);
        for (ActionTask task : slowTasks) {
            awaitStatus(task.id(), "SUCCEEDED");
        }
        assertEquals(PER_DESTINATION, slow.mostHeldAtOnce(), "never more than the cap at once, also while draining");
        assertEquals(SLOW_TASKS, slow.received(), "each slow task sent once");
    }
}
