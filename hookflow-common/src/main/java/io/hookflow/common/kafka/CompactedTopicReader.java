package io.hookflow.common.kafka;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads a compacted topic from the beginning and keeps following it, on its own thread: a broadcast, so every replica
 * of every service sees every record. No consumer group and no commits (manual assignment of all partitions, always
 * from offset 0), so a restarted replica rebuilds its view by reading the topic again. The topic is created compacted
 * when absent. Broker trouble is logged and retried, never thrown: a service keeps running on what it has read.
 */
public final class CompactedTopicReader implements AutoCloseable {

    /** What to do with one record; the value is null for a tombstone (the key was deleted). */
    @FunctionalInterface
    public interface RecordHandler {
        void accept(String key, String value);
    }

    private static final Logger LOG = Logger.getLogger(CompactedTopicReader.class);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);
    /** How often the partition list is looked up again while following, so added partitions are read too. */
    private static final Duration PARTITION_REFRESH = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final String topic;
    private final RecordHandler handler;
    private final Duration pollTimeout;
    private final Thread thread;
    private volatile boolean caughtUp;
    private volatile boolean closed;
    private volatile KafkaConsumer<String, String> consumer;
    /** Where reading resumes after a broker failure, so no older state is handed over again after a newer one. */
    private final Map<TopicPartition, Long> positions = new HashMap<>();

    /**
     * @param pollTimeout how long one poll waits for records; a record that arrives ends the wait at once, so this
     *                    bounds only how quickly {@link #close()} is noticed
     */
    public CompactedTopicReader(String bootstrapServers, String topic, RecordHandler handler, Duration pollTimeout) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.handler = handler;
        this.pollTimeout = pollTimeout;
        this.thread = new Thread(this::run, "compacted-topic-reader-" + topic);
        this.thread.setDaemon(true);
    }

    public CompactedTopicReader(String bootstrapServers, String topic, RecordHandler handler) {
        this(bootstrapServers, topic, handler, Duration.ofSeconds(1));
    }

    /** Starts reading on the reader's own thread; returns at once. */
    public CompactedTopicReader start() {
        thread.start();
        return this;
    }

    /** True once every record that existed when reading began (or last resumed) has been handed to the handler. */
    public boolean caughtUp() {
        return caughtUp;
    }

    public String topic() {
        return topic;
    }

    @Override
    public void close() {
        closed = true;
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        boolean topicReady = false;
        while (!closed) {
            try {
                if (!topicReady) {
                    createIfAbsent();
                    topicReady = true;
                }
                follow();
            } catch (WakeupException e) {
                // close() woke us up.
            } catch (RuntimeException e) {
                caughtUp = false;
                if (!closed) {
                    LOG.warnf("Reading %s failed (%s); retrying in %s", topic, e.toString(), RETRY_DELAY);
                    sleep(RETRY_DELAY);
                }
            }
        }
    }

    private void createIfAbsent() {
        // One partition: these topics hold small state, read in full by everyone.
        KafkaTopics.createIfAbsent(bootstrapServers, List.of(KafkaTopics.compacted(topic, 1)));
    }

    private void follow() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "compacted-topic-reader-" + topic);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // A fetch returns as soon as a change is written (fetch.min.bytes is 1), so the wait only sets how often an idle
        // reader asks: every 2 s costs the broker a quarter of the default 500 ms, and no change arrives later.
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 2000);
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer = reader;
            if (closed) {
                return;
            }
            List<TopicPartition> partitions = partitions(reader);
            reader.assign(partitions);
            for (TopicPartition partition : partitions) {
                Long position = positions.get(partition);
                if (position == null) {
                    reader.seekToBeginning(List.of(partition));
                } else {
                    reader.seek(partition, position);
                }
            }
            Map<TopicPartition, Long> endAtStart = new HashMap<>(reader.endOffsets(partitions));
            long nextRefresh = System.nanoTime() + PARTITION_REFRESH.toNanos();
            while (!closed) {
                for (ConsumerRecord<String, String> record : reader.poll(pollTimeout)) {
                    handle(record);
                    positions.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                }
                if (!caughtUp && reachedEnd(reader, endAtStart)) {
                    caughtUp = true;
                    LOG.debugf("Caught up with %s", topic);
                }
                if (System.nanoTime() > nextRefresh) {
                    nextRefresh = System.nanoTime() + PARTITION_REFRESH.toNanos();
                    List<TopicPartition> now = partitions(reader);
                    if (!now.equals(partitions)) {
                        // New partitions: start over so each is read from its beginning.
                        return;
                    }
                }
            }
        } finally {
            consumer = null;
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, String> reader) {
        List<PartitionInfo> infos = reader.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " has no partitions yet");
        }
        return infos.stream().map(info -> new TopicPartition(topic, info.partition()))
                .sorted(java.util.Comparator.comparingInt(TopicPartition::partition)).toList();
    }

    private void handle(ConsumerRecord<String, String> record) {
        try {
            handler.accept(record.key(), record.value());
        } catch (RuntimeException e) {
            // One unreadable record must not stop the reader: the records after it are the current state.
            LOG.warnf("Skipped record %s-%d@%d: %s", topic, record.partition(), record.offset(), e.toString());
        }
    }

    private static boolean reachedEnd(KafkaConsumer<String, String> reader, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (reader.position(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
