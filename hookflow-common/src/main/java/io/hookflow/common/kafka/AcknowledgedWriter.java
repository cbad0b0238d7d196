package io.hookflow.common.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Writes one record at a time and waits for the broker's acknowledgement (acks=all, idempotent): for the state topics
 * (API keys, token revocations, rule changes), where a REST call may answer only once every service can learn the
 * change. A plain producer, because a messaging channel cannot send a tombstone (a null value) or be awaited per
 * record simply. Creates its topics before the first write.
 */
public final class AcknowledgedWriter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AcknowledgedWriter.class);

    private final String bootstrapServers;
    private final String clientId;
    private final Duration ackTimeout;
    private final List<NewTopic> topics;
    private volatile boolean topicsReady;
    private KafkaProducer<String, String> producer;

    /**
     * @param topics created (unless they exist) before the first write, or the broker would auto-create them with its
     *               defaults
     */
    public AcknowledgedWriter(String bootstrapServers, String clientId, Duration ackTimeout, List<NewTopic> topics) {
        this.bootstrapServers = bootstrapServers;
        this.clientId = clientId;
        this.ackTimeout = ackTimeout;
        this.topics = List.copyOf(topics);
    }

    /**
     * Writes the record ({@code value} null: a tombstone) and returns once the broker acknowledged it.
     *
     * @throws Unacknowledged when the topic could not be created or the broker did not acknowledge in time
     */
    public void write(String topic, String key, String value) {
        KafkaProducer<String, String> current = null;
        try {
            if (!topicsReady) {
                KafkaTopics.createIfAbsent(bootstrapServers, topics);
                topicsReady = true;
            }
            current = producer();
            current.send(new ProducerRecord<>(topic, key, value)).get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            discard(current);
            throw new Unacknowledged(topic + " " + key + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unacknowledged("interrupted while writing to " + topic, e);
        }
    }

    private synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            // The client wants an int for the two timeouts and a long for max.block.ms.
            int timeout = (int) Math.min(Integer.MAX_VALUE, Math.max(ackTimeout.toMillis(), 1000));
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (long) timeout);
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
            producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    /** A failed idempotent producer may be stuck on its sequence numbers: the next write gets a new one. */
    private synchronized void discard(KafkaProducer<String, String> failed) {
        if (failed != null && failed == producer) {
            producer = null;
            try {
                failed.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debugf("Closing a failed producer: %s", e.toString());
            }
        }
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    /** The broker did not acknowledge the write: it may or may not have it. */
    public static final class Unacknowledged extends RuntimeException {
        Unacknowledged(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
