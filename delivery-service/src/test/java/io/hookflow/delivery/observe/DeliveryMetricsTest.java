package io.hookflow.delivery.observe;

import static io.hookflow.delivery.DeliveryTestSupport.awaitStatus;
import static io.hookflow.delivery.DeliveryTestSupport.publish;
import static io.hookflow.delivery.DeliveryTestSupport.task;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.event.ActionTask;
import io.hookflow.delivery.http.HttpResult;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    void shouldCountThisTestsAttemptsByOutcomeAndTimeOnlyThoseSent() throws Exception {
        // The app is shared with earlier test classes, so the metrics are read before and after: only what changed
        // because of these two deliveries counts. Other executions may still be retrying meanwhile, hence "at least".
        String before = metrics();
        ActionTask delivered = task("POST", sink.url("/hooks/metrics"), Map.of(), "m", null);
        ActionTask refused = task("TRACE", sink.url("/hooks/metrics"), Map.of(), null, null);
        publish(delivered);
        publish(refused);
        awaitStatus(delivered.id(), "SUCCEEDED");
        awaitStatus(refused.id(), "FAILED");
        String after = metrics();

        assertTrue(increase(before, after, "hookflow_delivery_attempts_total", "success") >= 1, after);
        assertTrue(increase(before, after, "hookflow_delivery_attempts_total", "refused") >= 1, after);
        assertTrue(increase(before, after, "hookflow_delivery_attempt_duration_seconds_count", "success") >= 1, after);
        // A refused attempt never reached the network, so it has no latency to record.
        assertEquals(0, value(after, "hookflow_delivery_attempt_duration_seconds_count", "refused"), after);
        assertTrue(after.contains("hookflow_delivery_due_executions "), after);
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    private static double increase(String before, String after, String name, String outcome) {
        return value(after, name, outcome) - value(before, name, outcome);
    }

    /** The sum of the samples of {@code name} with this outcome label in a Prometheus scrape; 0 when there are none. */
    static double value(String scrape, String name, String outcome) {
        Pattern sample = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
        double sum = 0;
        Matcher matcher = sample.matcher(scrape);
        while (matcher.find()) {
            if (matcher.group(1).contains("outcome=\"" + outcome + "\"")) {
                sum += Double.parseDouble(matcher.group(2));
            }
        }
        return sum;
    }

    @Test
    void shouldClassifyEachAttemptByWhatCameBack() {
        assertEquals("2xx", DeliveryMetrics.statusClass(HttpResult.response(204, Map.of(), "", 3)));
        assertEquals("5xx", DeliveryMetrics.statusClass(HttpResult.response(503, Map.of(), "", 3)));
        assertEquals("none", DeliveryMetrics.statusClass(HttpResult.error("timeout", 3)));
        assertEquals("refused", DeliveryMetrics.statusClass(HttpResult.refused("host")));
    }
}
