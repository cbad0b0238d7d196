package io.hookflow.stack.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from its beginning and keeps every record seen, for tests to search: either following it while a test
 * runs ({@code new TopicReader(...)}) or once up to its current end ({@link #readAll}).
 */
public final class TopicReader implements AutoCloseable {

    /** Only a safety net: reaching the end of a test topic takes well under a second. */
    static final Duration READ_ALL_TIMEOUT = Duration.ofSeconds(20);

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    /**
     * Follows the topic as a consumer group of its own, from the earliest offset. It subscribes rather than assigns, so
     * it may be opened before the topic exists; a short metadata age lets it find the topic soon after.
     */
    public TopicReader(String bootstrapServers, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic));
    }

    /** Every record seen so far that passes the filter, after one more short poll. */
    public synchronized List<ConsumerRecord<String, String>> records(Predicate<ConsumerRecord<String, String>> filter) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            seen.add(record);
        }
        return seen.stream().filter(filter).toList();
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }

    /**
     * Every record of an existing topic from its beginning up to its end at the time of the call, each partition in order.
     * Assigns the partitions directly: no group to join, and the end is known before reading starts.
     */
    public static List<ConsumerRecord<String, String>> readAll(String bootstrapServers, String topic) {
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + READ_ALL_TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    // Returning part of the topic would let a test's "no record holds X" pass unchecked.
                    throw new IllegalStateException("did not reach the end of " + topic + " within " + READ_ALL_TIMEOUT);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
