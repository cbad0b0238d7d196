package io.hookflow.rules.support;

import static org.awaitility.Awaitility.await;

import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.Topics;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.TopicReader;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What rules-service has finished, observed on the broker rather than guessed from elapsed time. rules-service commits
 * a trigger event's offset only after the event's records are stored and its tasks acknowledged, so a committed offset
 * past an event means its tasks are on {@code action-tasks}; a read of that topic to its end then sees all of them.
 */
public final class Enforcement {

    /** rules-service's consumer group on trigger-events. */
    public static final String GROUP = "hookflow-rules";
    /** rules-service's consumer group on execution-events (system events as triggers). */
    public static final String EXECUTION_EVENTS_GROUP = "hookflow-rules-execution-events";
    /**
     * The connector commits at most every auto.commit.interval.ms (5 s by default); the rest is margin for a loaded
     * 2-core machine. Only a failure waits this long.
     */
    public static final Duration COMMIT_WAIT = Duration.ofSeconds(60);

    private Enforcement() {
    }

    /** Waits until rules-service has committed past every given trigger event: their tasks are then all published. */
    public static void awaitCommittedPast(Collection<RecordMetadata> events) {
        await().atMost(COMMIT_WAIT).pollInterval(Duration.ofMillis(200)).until(() -> committedPast(events));
    }

    /** Whether rules-service's committed offsets cover every given trigger (or execution) event. */
    public static boolean committedPast(Collection<RecordMetadata> events) {
        Map<TopicPartition, Long> committed = new java.util.HashMap<>(committed(GROUP));
        if (events.stream().anyMatch(event -> event.topic().equals(Topics.EXECUTION_EVENTS))) {
            committed.putAll(committed(EXECUTION_EVENTS_GROUP));
        }
        return events.stream().allMatch(event ->
                committed.getOrDefault(new TopicPartition(event.topic(), event.partition()), 0L) > event.offset());
    }

    /** rules-service's committed offset per trigger-events partition (absent: nothing committed yet). */
    public static Map<TopicPartition, Long> committed() {
        return committed(GROUP);
    }

    private static Map<TopicPartition, Long> committed(String group) {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            return offsets.entrySet().stream().filter(e -> e.getValue() != null)
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException("could not read the offsets of " + group, e);
        }
    }

    /** Records of trigger-events rules-service has not committed yet (0: it has caught up). */
    public static long lag() {
        Map<TopicPartition, Long> end = endOffsets(Topics.TRIGGER_EVENTS);
        Map<TopicPartition, Long> committed = committed();
        return end.entrySet().stream().mapToLong(e -> e.getValue() - committed.getOrDefault(e.getKey(), 0L)).sum();
    }

    /**
     * Waits until the system is quiet: rules-service has committed everything on trigger-events, and then for a settle
     * window nothing more arrives on action-tasks and nothing becomes uncommitted. A late duplicate would move the end
     * of action-tasks inside the window.
     */
    public static void awaitQuiet(Duration settle) {
        await().atMost(COMMIT_WAIT).pollInterval(Duration.ofMillis(200)).until(() -> lag() == 0);
        Map<TopicPartition, Long> tasksEnd = endOffsets(Topics.ACTION_TASKS);
        await().during(settle).atMost(settle.plus(COMMIT_WAIT)).pollInterval(Duration.ofMillis(250))
                .until(() -> lag() == 0 && endOffsets(Topics.ACTION_TASKS).equals(tasksEnd));
    }

    /** Every task on action-tasks, read from its beginning to its current end, of the given trigger instances. */
    public static List<ActionTask> tasksOf(Set<String> triggerInstanceIds) {
        return TopicReader.readAll(KafkaTestResource.broker().bootstrapServers(), Topics.ACTION_TASKS).stream()
                .map(Events::task)
                .filter(task -> triggerInstanceIds.contains(task.triggerInstanceId()))
                .toList();
    }

    public static Map<TopicPartition, Long> endOffsets(String topic) {
        try (Admin admin = admin()) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            return admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all().get(10, TimeUnit.SECONDS).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        } catch (Exception e) {
            throw new IllegalStateException("could not read the end offsets of " + topic, e);
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.broker().bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000));
    }
}
