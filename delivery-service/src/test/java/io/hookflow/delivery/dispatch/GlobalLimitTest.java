package io.hookflow.delivery.dispatch;

import static io.hookflow.delivery.DeliveryTestSupport.api;
import static io.hookflow.delivery.DeliveryTestSupport.awaitStatus;
import static io.hookflow.delivery.DeliveryTestSupport.publish;
import static io.hookflow.delivery.DeliveryTestSupport.task;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookflow.common.event.ActionTask;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A replica with every slot busy: new tasks wait (in Kafka, then as PENDING executions) instead of exceeding the
 * global in-flight limit, and every one is delivered once the slots free up.
 */
@QuarkusTest
@TestProfile(GlobalLimitTest.TwoSlots.class)
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class GlobalLimitTest {

    static final int SLOTS = 2;
    static final int TASKS = 6;

    /** Two requests in flight at most on this replica. */
    public static class TwoSlots implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hookflow.delivery.max-in-flight", String.valueOf(SLOTS),
                    "hookflow.delivery.max-in-flight-per-destination", String.valueOf(SLOTS));
        }
    }

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
    void shouldHoldNewTasksBackWhileEverySlotIsBusyAndDeliverAllOnceTheyFree() throws Exception {
        sink.hold("/hooks/busy", SLOTS);
        List<ActionTask> tasks = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            ActionTask task = task("POST", sink.url("/hooks/busy"), Map.of(), "busy " + i, null);
            tasks.add(task);
            publish(task);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> sink.requestsTo("/hooks/busy").size() == SLOTS);

        // After the admission wait (1 s) the rest are recorded PENDING, durable and visible, but not sent.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertEquals(TASKS - SLOTS, pending(tasks)));
        Thread.sleep(500);
        assertEquals(SLOTS, sink.requestsTo("/hooks/busy").size(), "no request beyond the limit");

        sink.releaseHeld();
        for (ActionTask task : tasks) {
            awaitStatus(task.id(), "SUCCEEDED");
        }
        assertEquals(TASKS, sink.requestsTo("/hooks/busy").size(), "each delivered exactly once");
    }

    private static long pending(List<ActionTask> tasks) {
        return tasks.stream().filter(task -> "PENDING".equals(api().get("/api/v1/executions/" + task.id())
                .then().extract().path("status"))).count();
    }
}
