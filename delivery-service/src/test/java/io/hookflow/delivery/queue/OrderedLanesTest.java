package io.hookflow.delivery.queue;

import static io.hookflow.delivery.DeliveryTestSupport.JSON;
import static io.hookflow.delivery.DeliveryTestSupport.api;
import static io.hookflow.delivery.DeliveryTestSupport.awaitStatus;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.common.event.TaskIds;
import io.hookflow.common.event.Topics;
import io.hookflow.stack.RecordedRequest;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ordered lanes on the real broker and database: an execution of a lane is attempted only once every earlier one of its
 * lane is final, a head that keeps failing blocks its own lane and nothing else, and a head that ends (failed for good,
 * canceled) lets the next one go.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class OrderedLanesTest {

    /** Longer than any wait below: a head answered 500 stays RETRYING for the whole test. */
    private static final OutboundRequest.RetryOverride SLOW_RETRY = new OutboundRequest.RetryOverride(5, List.of(300));
    /** The worker polls every 200 ms in the test profile: several polls in which nothing of a blocked lane may move. */
    private static final Duration BLOCKED = Duration.ofSeconds(3);

    static RequestSink target;
    static KafkaProducer<String, String> producer;

    @BeforeAll
    static void start() {
        target = RequestSink.start(0);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.broker().bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void stop() {
        target.close();
        producer.close();
    }

    @Test
    void shouldHoldALaneBehindItsFailingHeadAndLetOtherLanesAndUnorderedWorkGo() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String blocked = "rule-a:" + run;
        String free = "rule-b:" + run;
        target.respondWith("/" + run + "/a/1", 500);
        ActionTask a1 = task(blocked, "/" + run + "/a/1");
        ActionTask a2 = task(blocked, "/" + run + "/a/2");
        ActionTask a3 = task(blocked, "/" + run + "/a/3");
        ActionTask b1 = task(free, "/" + run + "/b/1");
        ActionTask b2 = task(free, "/" + run + "/b/2");
        ActionTask unordered = task(null, "/" + run + "/c/1");
        for (ActionTask task : List.of(a1, b1, a2, unordered, b2, a3)) {
            publish(task);
        }

        awaitStatus(b2.id(), "SUCCEEDED");
        awaitStatus(unordered.id(), "SUCCEEDED");
        assertEquals(List.of("/" + run + "/b/1", "/" + run + "/b/2"), paths("/" + run + "/b/"),
                "the other lane is delivered, in its order");
        awaitStatus(a1.id(), "RETRYING");

        // However many polls pass, nothing behind the retrying head is attempted.
        await().during(BLOCKED).atMost(BLOCKED.plusSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() ->
                paths("/" + run + "/a/").equals(List.of("/" + run + "/a/1"))
                        && "PENDING".equals(status(a2)) && "PENDING".equals(status(a3)));
        api().get("/api/v1/executions/" + a2.id()).then().statusCode(200)
                .body("lane.id", org.hamcrest.Matchers.equalTo(blocked))
                .body("lane.key", org.hamcrest.Matchers.equalTo(run))
                .body("attemptCount", org.hamcrest.Matchers.equalTo(0));
        long seq1 = seq(a1);
        long seq2 = seq(a2);
        long seq3 = seq(a3);
        assertTrue(seq1 < seq2 && seq2 < seq3, "places in intake order: " + seq1 + ", " + seq2 + ", " + seq3);

        // Canceling the head releases the next one at once, and the lane goes on in its order.
        api().post("/api/v1/executions/" + a1.id() + "/cancel").then().statusCode(200);
        awaitStatus(a3.id(), "SUCCEEDED");
        assertEquals(List.of("/" + run + "/a/1", "/" + run + "/a/2", "/" + run + "/a/3"), paths("/" + run + "/a/"));
    }

    @Test
    void shouldLetTheNextGoOnceTheHeadFailsForGood() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String lane = "rule-f:" + run;
        target.respondWith("/" + run + "/f/1", 400); // not retryable: FAILED at once
        ActionTask first = task(lane, "/" + run + "/f/1");
        ActionTask second = task(lane, "/" + run + "/f/2");
        publish(first);
        publish(second);

        awaitStatus(second.id(), "SUCCEEDED");
        awaitStatus(first.id(), "FAILED");
        assertEquals(List.of("/" + run + "/f/1", "/" + run + "/f/2"), paths("/" + run + "/f/"));
    }

    @Test
    void shouldKeepTheFirstPlaceOfARedeliveredTask() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String lane = "rule-d:" + run;
        target.respondWith("/" + run + "/d/1", 500);
        ActionTask first = task(lane, "/" + run + "/d/1");
        ActionTask second = task(lane, "/" + run + "/d/2");
        publish(first);
        publish(second);
        awaitStatus(first.id(), "RETRYING");
        long before = seq(second);

        publish(second); // redelivered: the execution exists, its place does not change
        // An unordered marker behind it in the same partition: once the marker is delivered, the copy was consumed.
        ActionTask marker = task(null, "/" + run + "/marker");
        producer.send(new ProducerRecord<>(Topics.ACTION_TASKS, lane, JSON.writeValueAsString(marker))).get();
        awaitStatus(marker.id(), "SUCCEEDED");

        assertEquals(before, seq(second));
        api().post("/api/v1/executions/" + first.id() + "/cancel").then().statusCode(200);
        awaitStatus(second.id(), "SUCCEEDED");
        assertEquals(1, target.requestsTo("/" + run + "/d/2").size(), "delivered once");
    }

    private static ActionTask task(String lane, String path) {
        String triggerInstance = UUID.randomUUID().toString();
        String ruleId = lane == null ? "rule-u" : lane.substring(0, lane.indexOf(':'));
        OutboundRequest request = new OutboundRequest("POST", target.url(path), Map.of(), "x", null, null, null, null,
                null, SLOW_RETRY, null);
        return new ActionTask(1, TaskIds.forTask(triggerInstance, ruleId), "default", triggerInstance, "demo.lanes",
                ruleId, "demo.lanes_rule", "core.http", request, Instant.now(), 0, lane);
    }

    /** As rules-service publishes: an ordered task keyed by its lane, so a lane lies in one partition in order. */
    private static void publish(ActionTask task) throws Exception {
        producer.send(new ProducerRecord<>(Topics.ACTION_TASKS, task.ordered() ? task.lane() : task.id(),
                JSON.writeValueAsString(task))).get();
    }

    private static List<String> paths(String prefix) {
        return target.requestsTo(prefix).stream().map(RecordedRequest::path).toList();
    }

    private static String status(ActionTask task) {
        return api().get("/api/v1/executions/" + task.id()).then().statusCode(200).extract().path("status");
    }

    private static long seq(ActionTask task) {
        Number seq = api().get("/api/v1/executions/" + task.id()).then().statusCode(200).extract().path("lane.seq");
        return seq.longValue();
    }
}
