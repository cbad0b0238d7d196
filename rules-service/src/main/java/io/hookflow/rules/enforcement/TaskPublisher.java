package io.hookflow.rules.enforcement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes action tasks (key: task id) and waits for the broker's acknowledgement of every one. While the broker is
 * away it keeps trying, with a fresh producer after each failure (an idempotent producer can get stuck on sequence
 * errors, e.g. right after a topic is created): the trigger events stay uncommitted meanwhile, so nothing is lost and
 * nothing is skipped. A plain producer rather than a messaging emitter: a whole batch is sent with one wait, without
 * per-message acknowledgement bookkeeping.
 */
@ApplicationScoped
public class TaskPublisher {

    private static final Logger LOG = Logger.getLogger(TaskPublisher.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    /** Above every task rules-service lets through (hookflow.rules.max-task-size) and a dead letter's envelope. */
    static final int MAX_REQUEST_SIZE = 1024 * 1024;

    private final String bootstrapServers;
    private final ObjectWriter json;
    private final EnforcementProgress progress;
    private KafkaProducer<String, byte[]> producer;

    TaskPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, ObjectMapper json,
                  EnforcementProgress progress) {
        this.bootstrapServers = bootstrapServers;
        this.json = json.writerFor(ActionTask.class);
        this.progress = progress;
    }

    /** A task as JSON, as it goes to the broker; its length is what hookflow.rules.max-task-size bounds. */
    public byte[] encode(ActionTask task) {
        try {
            return json.writeValueAsBytes(task);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an ActionTask always serialises", e);
        }
    }

    /** Publishes encoded tasks (see {@link #encode}) and returns once the broker has every one. */
    public void publishAll(List<EncodedTask> tasks) {
        if (tasks.isEmpty()) {
            return;
        }
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(tasks.size());
        for (EncodedTask task : tasks) {
            records.add(new ProducerRecord<>(Topics.ACTION_TASKS, task.task().id(), task.json()));
        }
        publishRecords(records, "task(s)");
    }

    /** A task with its JSON, encoded once: to check its size when it is rendered and to send it. */
    public record EncodedTask(ActionTask task, byte[] json) {
    }

    /**
     * Publishes the records and returns once the broker acknowledged every one, retrying with backoff meanwhile (the
     * caller's events stay uncommitted, so nothing is lost or skipped while the broker is away).
     */
    public void publishRecords(List<ProducerRecord<String, byte[]>> records, String what) {
        if (records.isEmpty()) {
            return;
        }
        Object batch = new Object();
        Duration backoff = Duration.ofMillis(500);
        while (true) {
            KafkaProducer<String, byte[]> current = producer();
            try {
                List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
                for (ProducerRecord<String, byte[]> record : records) {
                    acks.add(current.send(record));
                }
                current.flush();
                long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
                for (Future<RecordMetadata> ack : acks) {
                    ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
                progress.done(batch);
                return;
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                // Re-sending is safe: the task id is deterministic, so delivery records one execution per task.
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                LOG.warnf("Could not publish %d %s, retrying in %s with a new producer: %s", records.size(), what, backoff,
                        cause);
                progress.failing(batch, "publishing " + what + ": " + cause);
                discard(current);
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } catch (InterruptedException e) {
                progress.done(batch);
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the broker", e);
            }
        }
    }

    private synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "rules-action-tasks");
            // Stored on every in-sync replica, exactly once per send.
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.LINGER_MS_CONFIG, "2");
            props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
            props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(MAX_REQUEST_SIZE));
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(ACK_TIMEOUT.toMillis() - 1000));
            producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    private synchronized void discard(KafkaProducer<String, byte[]> failed) {
        if (producer == failed) {
            producer = null;
        }
        failed.close(Duration.ZERO);
    }

    @PreDestroy
    synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        }
    }
}
