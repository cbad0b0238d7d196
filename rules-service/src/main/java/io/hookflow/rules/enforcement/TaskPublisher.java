package io.hookflow.rules.enforcement;

import io.hookflow.rules.observe.TriggerTraces;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.Topics;
import io.hookflow.common.kafka.AcknowledgedProducer;
import io.hookflow.common.retry.Backoff;
import io.hookflow.rules.progress.EnforcementProgress;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes action tasks (key: the lane of an ordered task, else the task id) and waits for the broker's acknowledgement of every one
 * ({@link AcknowledgedProducer}: a whole batch with one wait, a fresh producer after a failure). While the broker is
 * away it keeps trying with backoff: the trigger events stay uncommitted meanwhile, so nothing is lost and nothing is
 * skipped.
 */
@ApplicationScoped
public class TaskPublisher {

    private static final Logger LOG = Logger.getLogger(TaskPublisher.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    /** Above every task rules-service lets through (hookflow.rules.max-task-size) and a dead letter's envelope. */
    static final int MAX_REQUEST_SIZE = 1024 * 1024;

    private final ObjectWriter json;
    private final EnforcementProgress progress;
    private final AcknowledgedProducer<byte[]> producer;

    private final TriggerTraces traces;

    TaskPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, ObjectMapper json,
                  EnforcementProgress progress, TriggerTraces traces) {
        this.json = json.writerFor(ActionTask.class);
        this.progress = progress;
        this.traces = traces;
        this.producer = new AcknowledgedProducer<>(bootstrapServers, "rules-action-tasks", ACK_TIMEOUT,
                new ByteArraySerializer())
                .with(ProducerConfig.LINGER_MS_CONFIG, "2")
                .with(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024))
                .with(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(MAX_REQUEST_SIZE))
                .with(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000")
                .with(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000")
                .with(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(ACK_TIMEOUT.toMillis() - 1000));
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
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.ACTION_TASKS, keyOf(task.task()), task.json());
            traces.publishing(task.task().triggerInstanceId(), task.task().ruleRef(), record.headers());
            records.add(record);
        }
        publishRecords(records, "task(s)");
    }

    /**
     * The record key: an ordered task's lane, so that a lane lies in one action-tasks partition in the order published
     * (the order of its trigger instances); an unordered task's id, which spreads them over every partition.
     */
    static String keyOf(ActionTask task) {
        return task.ordered() ? task.lane() : task.id();
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
        Backoff backoff = new Backoff(Duration.ofMillis(500), MAX_BACKOFF);
        while (true) {
            try {
                producer.sendAll(records);
                progress.done(batch);
                return;
            } catch (AcknowledgedProducer.Unacknowledged e) {
                if (Thread.currentThread().isInterrupted()) {
                    progress.done(batch);
                    throw new IllegalStateException("interrupted while waiting for the broker", e);
                }
                // Re-sending is safe: the task id is deterministic, so delivery records one execution per task.
                Duration delay = backoff.next();
                LOG.warnf("Could not publish %d %s, retrying in %s with a new producer: %s", records.size(), what, delay,
                        e.getCause());
                progress.failing(batch, "publishing " + what + ": " + e.getCause());
                sleep(delay);
            }
        }
    }

    @PreDestroy
    void close() {
        producer.close();
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
