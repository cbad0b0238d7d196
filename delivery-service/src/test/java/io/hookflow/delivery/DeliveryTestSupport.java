package io.hookflow.delivery;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hookflow.common.crypto.SecretCipher;
import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.common.event.TaskIds;
import io.hookflow.common.event.Topics;
import io.hookflow.delivery.execution.Execution;
import io.hookflow.delivery.intake.IntakeRepository;
import io.hookflow.delivery.execution.ExecutionRepository;
import io.hookflow.delivery.execution.ExecutionStatus;
import io.hookflow.stack.testing.KafkaTestResource;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the @QuarkusTests share: tasks published to the real broker, executions read back through the API or seeded in
 * the real database in the state a test needs.
 */
public final class DeliveryTestSupport {

    public static final String KEY = "test-bootstrap-key";
    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private static KafkaProducer<String, String> producer;

    private DeliveryTestSupport() {
    }

    /** A cipher with the test profile's key (hookflow.secrets.key), the one rules-service shares with us. */
    public static SecretCipher cipher() {
        String key = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("hookflow.secrets.key", String.class);
        return new SecretCipher(java.util.Optional.of(key), java.util.List.of());
    }

    /** A task of the default organisation for a request with optional signing secret. */
    public static ActionTask task(String method, String url, Map<String, String> headers, String body, String secret) {
        return task(new OutboundRequest(method, url, headers, body, null, null, secret, null));
    }

    /** A task of the default organisation, from its own trigger instance, carrying the request as given. */
    public static ActionTask task(OutboundRequest request) {
        String triggerInstance = UUID.randomUUID().toString();
        return new ActionTask(1, TaskIds.forTask(triggerInstance, "rule-1"), "default", triggerInstance, "demo.test",
                "rule-1", "demo.test_rule", "core.http", request, Instant.now(), 0);
    }

    /** Publishes the task to action-tasks (key: its id) and answers where the broker put it. */
    public static RecordMetadata publish(ActionTask task) throws Exception {
        return publish(task, null);
    }

    /** As {@link #publish(ActionTask)}, the record carrying this W3C {@code traceparent} header (null: none). */
    public static synchronized RecordMetadata publish(ActionTask task, String traceparent) throws Exception {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.broker().bootstrapServers());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        }
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.ACTION_TASKS, task.id(),
                JSON.writeValueAsString(task));
        if (traceparent != null) {
            record.headers().add("traceparent", traceparent.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return producer.send(record).get();
    }

    /**
     * Waits until delivery has nothing left to do with the given executions, so a count taken afterwards can see a
     * late duplicate: (1) the service's consumer group has committed every task on {@code action-tasks} up to the end
     * offsets (lag 0: every copy published so far was consumed and recorded, as offsets are committed only after the
     * batch is recorded); (2) none of the executions is due or running; (3) a settle window of a few worker polls has
     * passed with that still true, for anything a consumed copy set in motion without making it due.
     */
    public static void awaitQuiet(java.util.Collection<String> executionIds) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaTestResource.broker().bootstrapServers()))) {
            // Throttled commits go out every few seconds (the client's auto-commit interval); 60 s bounds a stuck one.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> lag(admin) == 0);
        }
        java.util.function.BooleanSupplier settled = () -> executionIds.stream().allMatch(id -> {
            var execution = api().get("/api/v1/executions/" + id).then().statusCode(200).extract();
            return ExecutionStatus.valueOf(execution.path("status")).isFinal() && execution.path("nextAttemptAt") == null;
        });
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(settled::getAsBoolean);
        // Five worker polls (200 ms each in the test profile) without anything becoming due again.
        await().during(SETTLE).atMost(SETTLE.multipliedBy(3)).pollInterval(Duration.ofMillis(100))
                .until(settled::getAsBoolean);
    }

    /** Five polls of the delivery worker in the test profile: anything due would be picked up within it. */
    static final Duration SETTLE = Duration.ofMillis(1000);

    /** The offsets delivery's consumer group has committed on {@code action-tasks}, by partition. */
    public static Map<TopicPartition, Long> committed() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaTestResource.broker().bootstrapServers()))) {
            Map<TopicPartition, Long> offsets = new java.util.HashMap<>();
            admin.listConsumerGroupOffsets(CONSUMER_GROUP).partitionsToOffsetAndMetadata().get().forEach((partition, done) -> {
                if (done != null) {
                    offsets.put(partition, done.offset());
                }
            });
            return offsets;
        }
    }

    /** Records on {@code action-tasks} not yet committed by delivery's consumer group, over all partitions. */
    static long lag(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(CONSUMER_GROUP)
                .partitionsToOffsetAndMetadata().get();
        var partitions = admin.describeTopics(List.of(Topics.ACTION_TASKS)).allTopicNames().get()
                .get(Topics.ACTION_TASKS).partitions().stream()
                .map(info -> new TopicPartition(Topics.ACTION_TASKS, info.partition())).toList();
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        partitions.forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        var end = admin.listOffsets(latest).all().get();
        long lag = 0;
        for (TopicPartition partition : partitions) {
            OffsetAndMetadata done = committed.get(partition);
            lag += end.get(partition).offset() - (done == null ? 0 : done.offset());
        }
        return lag;
    }

    /** The consumer group of delivery's action-tasks channel (application.properties). */
    static final String CONSUMER_GROUP = "hookflow-delivery";

    /** An API request authenticated as the default organisation. */
    public static RequestSpecification api() {
        return given().header("St2-Api-Key", KEY);
    }

    public static ValidatableResponse awaitStatus(String executionId, String status) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                status.equals(api().get("/api/v1/executions/" + executionId).then().extract().path("status")));
        return api().get("/api/v1/executions/" + executionId).then().statusCode(200);
    }

    /**
     * An execution recorded as from a task, then put in the given state: unfinished ones are due an hour from now, so
     * the worker leaves them alone unless {@code adjust} says otherwise.
     */
    public static UUID seed(ExecutionRepository executions, String orgId, OutboundRequest request, ExecutionStatus status,
                            Instant createdAt, Consumer<Execution> adjust) {
        UUID id = UUID.randomUUID();
        ActionTask task = new ActionTask(1, id.toString(), orgId, UUID.randomUUID().toString(), "demo.ops", "rule-ops",
                "demo.ops_rule", "core.http", request, createdAt, 0);
        QuarkusTransaction.requiringNew().run(() -> {
            Arc.container().instance(IntakeRepository.class).get().recordPending(task, createdAt);
            Execution execution = executions.findById(id);
            execution.status = status;
            execution.attemptCount = 1;
            execution.nextAttemptAt = status.isFinal() ? null : Instant.now().plus(Duration.ofHours(1));
            execution.finishedAt = status.isFinal() ? createdAt : null;
            adjust.accept(execution);
        });
        return id;
    }

    public static UUID seed(ExecutionRepository executions, String orgId, String url, ExecutionStatus status,
                            Instant createdAt) {
        return seed(executions, orgId, new OutboundRequest("POST", url, Map.of(), "x", null, null, null, null), status,
                createdAt, execution -> { });
    }
}
