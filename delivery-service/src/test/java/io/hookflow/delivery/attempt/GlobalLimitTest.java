package io.hookflow.delivery.attempt;

import static io.hookflow.delivery.DeliveryTestSupport.api;
import static io.hookflow.delivery.DeliveryTestSupport.awaitStatus;
import static io.hookflow.delivery.DeliveryTestSupport.publish;
import static io.hookflow.delivery.DeliveryTestSupport.task;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.event.ActionTask;
import io.hookflow.delivery.HoldingTargets;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A replica with every slot busy: new tasks wait (in Kafka, then as PENDING executions) instead of exceeding the
 * global in-flight limit, and every one is delivered once the slots free up. Runs in the shared test app, whose
 * profile sets the global limit (8) below what the per-destination limit (4) allows to three destinations (12), so
 * only the global limit can keep the twelve tasks here to eight at once.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class GlobalLimitTest {

    static final int TARGETS = 3;
    static final int TASKS_PER_TARGET = 4;

    static HoldingTargets targets;

    @BeforeAll
    static void startTargets() {
        targets = HoldingTargets.start(TARGETS);
    }

    @AfterAll
    static void stopTargets() {
        targets.close();
    }

    @Test
    void shouldHoldNewTasksBackWhileEverySlotIsBusyAndDeliverAllOnceTheyFree() throws Exception {
        int slots = setting("hookflow.delivery.max-in-flight");
        int perDestination = setting("hookflow.delivery.max-in-flight-per-destination");
        assertTrue(perDestination >= TASKS_PER_TARGET && TARGETS * TASKS_PER_TARGET > slots,
                "the per-destination limit alone must let more than the global limit go at once");

        List<ActionTask> tasks = new ArrayList<>();
        for (int i = 0; i < TASKS_PER_TARGET; i++) {
            for (int target = 0; target < TARGETS; target++) {
                ActionTask task = task("POST", targets.url(target, "/hooks/busy"), Map.of(), "busy " + i, null);
                tasks.add(task);
                publish(task);
            }
        }

        // Every slot holds a request, and after the admission wait (1 s) the rest are recorded PENDING: durable and
        // visible, not sent.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .failFast("more requests in flight than the global limit of " + slots,
                        () -> targets.mostHeldAtOnce() > slots)
                .until(() -> targets.holding() == slots && pending(tasks) == tasks.size() - slots);

        // Released a round at a time. The targets answer nothing the test has not released, so a request sent beyond
        // the limit, at any moment of the run, is held beside the others and counted: no window to wait out.
        targets.releaseInRounds(tasks.size(), slots);
        for (ActionTask task : tasks) {
            awaitStatus(task.id(), "SUCCEEDED");
        }

        assertEquals(slots, targets.mostHeldAtOnce(), "never more than the global limit in flight, also while draining");
        for (int target = 0; target < TARGETS; target++) {
            assertEquals(TASKS_PER_TARGET, targets.received(target), "each delivered exactly once, target " + target);
        }
    }

    private static int setting(String name) {
        return ConfigProvider.getConfig().getValue(name, Integer.class);
    }

    private static long pending(List<ActionTask> tasks) {
        return tasks.stream().filter(task -> "PENDING".equals(api().get("/api/v1/executions/" + task.id())
                .then().extract().path("status"))).count();
    }
}
