package io.hookflow.rules.enforcement;

import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.Topics;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes action tasks and waits for the broker's acknowledgement. While the broker is away it keeps trying: the
 * trigger event stays uncommitted meanwhile, so nothing is lost and nothing is skipped.
 */
@ApplicationScoped
public class TaskPublisher {

    private static final Logger LOG = Logger.getLogger(TaskPublisher.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final MutinyEmitter<ActionTask> emitter;

    TaskPublisher(@Channel(Topics.ACTION_TASKS) MutinyEmitter<ActionTask> emitter) {
        this.emitter = emitter;
    }

    /** In-flight sends per wait, below the emitter's buffer plus the Kafka sink's in-flight window. */
    static final int CHUNK = 512;

    public void publishAll(List<ActionTask> tasks) {
        for (int from = 0; from < tasks.size(); from += CHUNK) {
            publishChunk(tasks.subList(from, Math.min(tasks.size(), from + CHUNK)));
        }
    }

    private void publishChunk(List<ActionTask> tasks) {
        if (tasks.isEmpty()) {
            return;
        }
        Duration backoff = Duration.ofMillis(500);
        while (true) {
            try {
                Uni.join().all(tasks.stream().map(this::send).toList()).andFailFast().await().indefinitely();
                return;
            } catch (RuntimeException e) {
                // Re-sending is safe: the task id is deterministic, so delivery records one execution per task.
                LOG.warnf("Could not publish %d task(s), retrying in %s: %s", tasks.size(), backoff, e.toString());
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private Uni<Void> send(ActionTask task) {
        return emitter.sendMessage(Message.of(task)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(task.id()).build()));
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
