package io.hookflow.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.event.Topics;
import io.hookflow.stack.testing.KafkaTestResource;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads what actually reached {@code trigger-events}, from the end of the topic at the time it was opened. Tests
 * prove "nothing was published" by firing a marker event afterwards and seeing it come next.
 */
public final class TriggerTopic implements AutoCloseable {

    public static final ObjectMapper JSON_READER = new ObjectMapper();

    private final KafkaConsumer<String, String> consumer;
    /** One poll may return several records; those not yet asked for wait here. */
    private final Deque<ConsumerRecord<String, String>> polled = new ArrayDeque<>();

    private TriggerTopic(KafkaConsumer<String, String> consumer) {
        this.consumer = consumer;
    }

    /** Opens at the end of the topic, after one event accepted by the st2 webhook has made sure the topic exists. */
    public static TriggerTopic atEnd() {
        return atEnd(() -> Api.as(Api.BOOTSTRAP).body(Map.of("trigger", "test.warmup", "payload", Map.of()))
                .post("/api/v1/webhooks/st2").then().statusCode(202));
    }

    /** Opens at the end of the topic; {@code ensureTopic} must have published once so the topic exists. */
    public static TriggerTopic atEnd(Runnable ensureTopic) {
        ensureTopic.run();
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.broker().bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.TRIGGER_EVENTS).stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return new TriggerTopic(consumer);
    }

    public static String marker() {
        return "test.marker_" + UUID.randomUUID().toString().replace("-", "");
    }

    public ConsumerRecord<String, String> next() {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (polled.isEmpty() && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(polled::add);
        }
        if (!polled.isEmpty()) {
            return polled.poll();
        }
        throw new AssertionError("no record arrived on " + Topics.TRIGGER_EVENTS);
    }

    public JsonNode nextEvent() {
        try {
            return JSON_READER.readTree(next().value());
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
