package io.hookflow.common.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.hookflow.stack.testing.KafkaTestResource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against a real broker: the reader creates the topic compacted, reads what exists, then follows new records. */
class CompactedTopicReaderTest {

    /**
     * A change reaches the reader within its next poll (well under a second); the deadline only stops a test whose
     * change never arrives, with room for a 2-core machine shared by other builds to stall the JVM for seconds.
     */
    static final Duration PROPAGATION = Duration.ofSeconds(30);


    static String bootstrap;
    static KafkaProducer<String, String> producer;

    @BeforeAll
    static void broker() {
        bootstrap = KafkaTestResource.broker().bootstrapServers();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    static String topic() {
        return "reader-test-" + UUID.randomUUID();
    }

    @Test
    void shouldCreateTheTopicCompactedAndReportCaughtUpWhenEmpty() throws Exception {
        String topic = topic();
        try (CompactedTopicReader reader = new CompactedTopicReader(bootstrap, topic, (k, v) -> { }).start()) {
            await().atMost(Duration.ofSeconds(20)).until(reader::caughtUp);
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            try (Admin admin = Admin.create(props)) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
                assertEquals(TopicConfig.CLEANUP_POLICY_COMPACT, config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
            }
        }
    }

    @Test
    void shouldReadExistingRecordsThenFollowNewOnesAndTombstones() throws Exception {
        String topic = topic();
        Map<String, String> seen = new ConcurrentHashMap<>();
        // A first reader creates the topic; records written before the second reader starts are read from the beginning.
        try (CompactedTopicReader first = new CompactedTopicReader(bootstrap, topic, (k, v) -> { }).start()) {
            await().atMost(Duration.ofSeconds(20)).until(first::caughtUp);
        }
        producer.send(new ProducerRecord<>(topic, "a", "1")).get();
        producer.send(new ProducerRecord<>(topic, "b", "2")).get();
        try (CompactedTopicReader reader = new CompactedTopicReader(bootstrap, topic, (key, value) -> {
            if (value == null) {
                seen.remove(key);
            } else {
                seen.put(key, value);
            }
        }).start()) {
            await().atMost(Duration.ofSeconds(20)).until(reader::caughtUp);
            assertEquals(Map.of("a", "1", "b", "2"), seen);

            producer.send(new ProducerRecord<>(topic, "a", "3")).get();
            producer.send(new ProducerRecord<>(topic, "b", null)).get();
            await().atMost(PROPAGATION).until(() -> "3".equals(seen.get("a")) && !seen.containsKey("b"));
        }
    }

    @Test
    void shouldKeepReadingAfterAHandlerFailsOnOneRecord() throws Exception {
        String topic = topic();
        Map<String, String> seen = new ConcurrentHashMap<>();
        try (CompactedTopicReader reader = new CompactedTopicReader(bootstrap, topic, (key, value) -> {
            if ("bad".equals(value)) {
                throw new IllegalArgumentException("unreadable");
            }
            seen.put(key, value);
        }).start()) {
            await().atMost(Duration.ofSeconds(20)).until(reader::caughtUp);
            producer.send(new ProducerRecord<>(topic, "x", "bad")).get();
            producer.send(new ProducerRecord<>(topic, "y", "good")).get();
            await().atMost(PROPAGATION).until(() -> "good".equals(seen.get("y")));
            assertFalse(seen.containsKey("x"));
        }
    }
}
