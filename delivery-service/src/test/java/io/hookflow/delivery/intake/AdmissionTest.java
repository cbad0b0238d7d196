package io.hookflow.delivery.intake;

import static io.hookflow.delivery.DeliveryTestSupport.api;
import static io.hookflow.delivery.DeliveryTestSupport.awaitStatus;
import static io.hookflow.delivery.DeliveryTestSupport.publish;
import static io.hookflow.delivery.DeliveryTestSupport.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.event.ActionTask;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A burst for one responsive destination, larger than its slots (4 in the test profile), starts straight from intake:
 * the tasks beyond the slots wait a moment in memory for a slot of their destination instead of being queued in the
 * database and claimed back (an insert, a claim and an update each, where the straight path needs an insert and an
 * update). Seen from outside: an execution that started straight from intake was created already RUNNING, so its
 * history shows PENDING and RUNNING at the same instant; a claimed one became RUNNING later.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class AdmissionTest {

    static final int PER_DESTINATION = 4;
    static final int BURST = 24;
    static RequestSink target;

    @BeforeAll
    static void startTarget() {
        target = RequestSink.start(0);
    }

    @AfterAll
    static void stopTarget() {
        target.close();
    }

    @Test
    void shouldStartABurstBeyondItsDestinationsSlotsStraightFromIntake() throws Exception {
        List<ActionTask> burst = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            ActionTask task = task("POST", target.url("/hooks/burst"), Map.of(), "burst " + i, null);
            burst.add(task);
            publish(task);
        }
        int straight = 0;
        for (ActionTask task : burst) {
            awaitStatus(task.id(), "SUCCEEDED");
            JsonPath execution = api().get("/api/v1/executions/" + task.id()).then().extract().jsonPath();
            assertEquals(List.of("PENDING", "RUNNING", "SUCCEEDED"), execution.getList("transitions.to"));
            if (execution.getString("transitions[0].at").equals(execution.getString("transitions[1].at"))) {
                straight++;
            }
        }
        assertEquals(BURST, target.requestsTo("/hooks/burst").size(), "each task sent once");
        // Queued in the database, each admitted batch would start at most its destination's 4 slots straight away; the
        // burst arrives in a few polls, so that would be far fewer than this.
        assertTrue(straight >= BURST * 2 / 3, straight + " of " + BURST + " started straight from intake");
    }
}
