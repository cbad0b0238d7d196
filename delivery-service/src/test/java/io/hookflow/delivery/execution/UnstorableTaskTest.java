package io.hookflow.delivery.execution;

import static io.hookflow.delivery.DeliveryTestSupport.awaitStatus;
import static io.hookflow.delivery.DeliveryTestSupport.publish;
import static io.hookflow.delivery.DeliveryTestSupport.task;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.event.ActionTask;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A task whose content the database refuses: recorded FAILED with the reason, without holding back the next one. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class UnstorableTaskTest {

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
    void shouldFailATaskThePostgresCannotStoreAndDeliverTheOneBehindIt() throws Exception {
        // PostgreSQL text and jsonb cannot hold NUL: this body is refused as it is.
        ActionTask unstorable = task("POST", sink.url("/hooks/with-nul"), Map.of(), "before\u0000after", null);
        ActionTask behind = task("POST", sink.url("/hooks/behind-nul"), Map.of(), "fine", null);
        publish(unstorable);
        publish(behind);

        awaitStatus(behind.id(), "SUCCEEDED");
        awaitStatus(unstorable.id(), "FAILED")
                .body("lastError", containsString("could not be stored as it came"))
                .body("attempts.size()", org.hamcrest.Matchers.equalTo(0));
        assertTrue(sink.requestsTo("/hooks/with-nul").isEmpty(), "nothing is sent for a task that was not stored");
        assertEquals(1, sink.requestsTo("/hooks/behind-nul").size());
    }
}
