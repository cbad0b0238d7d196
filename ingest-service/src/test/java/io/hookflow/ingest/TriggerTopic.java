package io.hookflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.hookflow.common.event.Topics;
import io.hookflow.common.event.TriggerEvent;
import io.hookflow.stack.testing.KafkaTestResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
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
 * Reads what actually reached {@code trigger-events}, on every partition, from the end of the topic at the time it was
 * opened. Every record read is parsed into hookflow-common's {@link TriggerEvent} and must survive the round trip
 * unchanged, so a field ingest writes that the contract does not know (or the reverse) fails the test that reads it.
 */
public final class TriggerTopic implements AutoCloseable {

    /** The contract's own mapping: ISO instants, as the services write them. */
    public static final ObjectMapper JSON_READER = JsonMapper.builder().findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    /** Only a safety net: a record acknowledged before its 202 is readable within milliseconds. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(15);

    private final KafkaConsumer<String, String> consumer;
    private final List<TopicPartition> partitions;
    /** One poll may return several records; those not yet asked for wait here. */
    private final Deque<ConsumerRecord<String, String>> polled = new ArrayDeque<>();

    private TriggerTopic(KafkaConsumer<String, String> consumer, List<TopicPartition> partitions) {
        this.consumer = consumer;
        this.partitions = partitions;
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
        return new TriggerTopic(consumer, partitions);
    }

    public static String marker() {
        return "test.marker_" + UUID.randomUUID().toString().replace("-", "");
    }

    /** The next record on any partition, waiting for one. */
    public ConsumerRecord<String, String> next() {
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (polled.isEmpty() && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(polled::add);
        }
        if (!polled.isEmpty()) {
            return checked(polled.poll());
        }
        throw new AssertionError("no record arrived on " + Topics.TRIGGER_EVENTS);
    }

    /** The next record's value as JSON, checked against the contract. */
    public JsonNode nextEvent() {
        return tree(next().value());
    }

    /** The next record's value as the contract type. */
    public TriggerEvent nextTriggerEvent() {
        return event(next());
    }

    /**
     * Every record not yet returned, on every partition, up to the end offsets as they are at this call: nothing
     * published later, and nothing acknowledged before the call left out. Taken the moment a 202 arrives, it holds the
     * event only if the broker had it before the answer.
     */
    public List<ConsumerRecord<String, String>> readToCurrentEnd() {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        List<ConsumerRecord<String, String>> records = new ArrayList<>(polled);
        polled.clear();
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
            if (System.nanoTime() > deadline) {
                // Stopping early would let "nothing else was published" pass unchecked.
                throw new AssertionError("did not reach the end offsets " + end + " of " + Topics.TRIGGER_EVENTS);
            }
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        }
        records.forEach(TriggerTopic::checked);
        return records;
    }

    /**
     * Proves that nothing but the marker was published since the last record read: call it after the marker's 202.
     * Every partition is read to its end offset taken now, so a wrong record on another partition than the marker's
     * (a random key lands anywhere) is seen, whichever order a poll returns them in.
     */
    public void assertOnlyMarkerSince(String marker) {
        List<String> triggers = readToCurrentEnd().stream().map(TriggerTopic::trigger).toList();
        assertEquals(List.of(marker), triggers, "records published since the last one the test read");
    }

    /** The record's trigger type (records are keyed by org, trigger type and parameters together). */
    public static String trigger(ConsumerRecord<String, String> record) {
        return event(record).trigger();
    }

    public static TriggerEvent event(ConsumerRecord<String, String> record) {
        try {
            return JSON_READER.readValue(record.value(), TriggerEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ConsumerRecord<String, String> checked(ConsumerRecord<String, String> record) {
        JsonNode written = tree(record.value());
        JsonNode roundTrip = JSON_READER.valueToTree(event(record));
        assertEquals(written, roundTrip, "the record on " + Topics.TRIGGER_EVENTS
                + " must be exactly a hookflow-common TriggerEvent (what ingest wrote, then what the contract reads)");
        return record;
    }

    private static JsonNode tree(String value) {
        try {
            return JSON_READER.readTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
