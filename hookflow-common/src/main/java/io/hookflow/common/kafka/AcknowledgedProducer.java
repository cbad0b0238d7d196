package io.hookflow.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * Sends records and returns only once the broker acknowledged every one (acks=all, idempotent), or throws
 * {@link Unacknowledged}. For every write whose caller may answer or commit only after the broker has it: state
 * topics (API keys, token revocations, rule changes), action tasks, execution events.
 *
 * <p>Use: construct once per client id, tune with {@link #with} and {@link #creatingFirst} before the first send, then
 * {@link #send} one record or {@link #sendAll} a batch (one wait for the whole batch); {@link #close} on shutdown. It is
 * thread-safe. After a failure the producer is discarded and the next send gets a new one, because an idempotent
 * producer can stay stuck on its sequence numbers (e.g. right after a topic was created). Retrying is the caller's
 * choice: a REST call answers 503, a consumer waits with a {@link io.hookflow.common.retry.Backoff} and sends again.
 *
 * <p>A plain producer rather than a messaging channel: a channel cannot send a tombstone (a null value) and makes
 * waiting for a batch's acknowledgements awkward.
 *
 * @param <V> the value type (the key is always a string)
 */
public final class AcknowledgedProducer<V> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AcknowledgedProducer.class);

    private final String bootstrapServers;
    private final String clientId;
    private final Duration ackTimeout;
    private final Serializer<V> values;
    private final Map<String, Object> settings = new HashMap<>();
    private List<NewTopic> topics = List.of();
    private volatile boolean topicsReady;
    private KafkaProducer<String, V> producer;

    /**
     * @param ackTimeout how long a send waits for the acknowledgements; by default also the producer's request,
     *                   delivery and blocking timeouts (at least a second)
     */
    public AcknowledgedProducer(String bootstrapServers, String clientId, Duration ackTimeout, Serializer<V> values) {
        this.bootstrapServers = bootstrapServers;
        this.clientId = clientId;
        this.ackTimeout = ackTimeout;
        this.values = values;
    }

    /** String values, as the state topics carry JSON text. */
    public static AcknowledgedProducer<String> ofStrings(String bootstrapServers, String clientId, Duration ackTimeout) {
        return new AcknowledgedProducer<>(bootstrapServers, clientId, ackTimeout, new StringSerializer());
    }

    /** Sets a producer setting ({@link ProducerConfig}), over the defaults; before the first send. */
    public AcknowledgedProducer<V> with(String setting, Object value) {
        settings.put(setting, value);
        return this;
    }

    /** Topics created (unless they exist) before the first send, or the broker would auto-create them with its defaults. */
    public AcknowledgedProducer<V> creatingFirst(List<NewTopic> topics) {
        this.topics = List.copyOf(topics);
        return this;
    }

    /** Sends one record ({@code value} null: a tombstone) and returns once the broker acknowledged it. */
    public void send(String topic, String key, V value) {
        sendAll(List.of(new ProducerRecord<>(topic, key, value)));
    }

    /**
     * Sends the records (in order per partition) and returns once the broker acknowledged every one.
     *
     * @throws Unacknowledged when a topic could not be created, the broker refused a record or did not acknowledge in
     *                        time, or the thread was interrupted (its interrupt flag is then set again); the broker may
     *                        have some of the records
     */
    public void sendAll(List<ProducerRecord<String, V>> records) {
        if (records.isEmpty()) {
            return;
        }
        KafkaProducer<String, V> current = null;
        try {
            if (!topicsReady && !topics.isEmpty()) {
                KafkaTopics.createIfAbsent(bootstrapServers, topics);
            }
            topicsReady = true;
            current = producer();
            List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
            for (ProducerRecord<String, V> record : records) {
                acks.add(current.send(record));
            }
            current.flush();
            long deadline = System.nanoTime() + ackTimeout.toNanos();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            discard(current);
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new Unacknowledged(records.size() + " record(s) to " + records.get(0).topic() + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unacknowledged("interrupted while waiting for the broker", e);
        }
    }

    private synchronized KafkaProducer<String, V> producer() {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
            // Stored on every in-sync replica, exactly once per send.
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            // The client wants an int for the two timeouts and a long for max.block.ms.
            int timeout = (int) Math.min(Integer.MAX_VALUE, Math.max(ackTimeout.toMillis(), 1000));
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (long) timeout);
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
            props.putAll(settings);
            producer = new KafkaProducer<>(props, new StringSerializer(), values);
        }
        return producer;
    }

    private synchronized void discard(KafkaProducer<String, V> failed) {
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

    /** The broker did not acknowledge every record: it may have some of them, or all, or none. */
    public static final class Unacknowledged extends RuntimeException {
        Unacknowledged(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
