package io.hookflow.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.common.event.TaskIds;
import io.hookflow.common.event.Topics;
import io.hookflow.stack.testing.KafkaTestResource;
import io.restassured.response.ValidatableResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishing tasks to the real broker and reading executions back through the API, for the @QuarkusTests. */
public final class DeliveryTestSupport {

    public static final String KEY = "test-bootstrap-key";
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private static KafkaProducer<String, String> producer;

    private DeliveryTestSupport() {
    }

    public static ActionTask task(String method, String url, Map<String, String> headers, String body, String secret) {
        String triggerInstance = UUID.randomUUID().toString();
        return new ActionTask(1, TaskIds.forTask(triggerInstance, "rule-1"), "default", triggerInstance, "demo.test",
                "rule-1", "demo.test_rule", "core.http",
                new OutboundRequest(method, url, headers, body, null, null, secret, null), Instant.now(), 0);
    }

    public static synchronized void publish(ActionTask task) throws Exception {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.broker().bootstrapServers());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        }
        producer.send(new ProducerRecord<>(Topics.ACTION_TASKS, task.id(), JSON.writeValueAsString(task))).get();
    }

    public static ValidatableResponse awaitStatus(String executionId, String status) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                status.equals(given().header("St2-Api-Key", KEY).get("/api/v1/executions/" + executionId)
                        .then().extract().path("status")));
        return given().header("St2-Api-Key", KEY).get("/api/v1/executions/" + executionId).then().statusCode(200);
    }
}
