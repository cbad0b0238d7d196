package io.hookflow.delivery.dispatch;

import static io.hookflow.delivery.DeliveryTestSupport.awaitStatus;
import static io.hookflow.delivery.DeliveryTestSupport.publish;
import static io.hookflow.delivery.DeliveryTestSupport.task;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

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

@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class DeliveryMetricsTest {

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
    void shouldExposeAttemptsLatencyAndDueBacklogWhenDeliveriesHappened() throws Exception {
        ActionTask delivered = task("POST", sink.url("/hooks/metrics"), Map.of(), "m", null);
        ActionTask refused = task("TRACE", sink.url("/hooks/metrics"), Map.of(), null, null);
        publish(delivered);
        publish(refused);
        awaitStatus(delivered.id(), "SUCCEEDED");
        awaitStatus(refused.id(), "FAILED");

        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("hookflow_delivery_attempts_total{outcome=\"success\""))
                .body(containsString("hookflow_delivery_attempts_total{outcome=\"refused\""))
                .body(containsString("hookflow_delivery_attempt_duration_seconds_bucket{outcome=\"success\""))
                .body(containsString("hookflow_delivery_due_executions "));
    }
}
