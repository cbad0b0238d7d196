package io.hookflow.delivery.execution;

import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.Topics;
import io.hookflow.delivery.dispatch.DeliveryWorker;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Turns each task into an execution, a polled batch per transaction where the free slots allow (see
 * {@link DeliveryWorker#admit}). The Kafka offsets are committed only after
 * the rows are committed, so a crash in between redelivers the tasks, and the task id as primary key makes that
 * harmless.
 */
@ApplicationScoped
public class ActionTaskConsumer {

    private static final Logger LOG = Logger.getLogger(ActionTaskConsumer.class);

    private final DeliveryWorker worker;

    ActionTaskConsumer(DeliveryWorker worker) {
        this.worker = worker;
    }

    @Incoming(Topics.ACTION_TASKS)
    @Blocking
    public void consume(List<ActionTask> batch) {
        List<ActionTask> tasks = new ArrayList<>(batch.size());
        for (ActionTask task : batch) {
            if (task == null || !isWellFormed(task)) {
                // Retrying cannot repair a task without an id or a request; log it instead of blocking the topic.
                LOG.errorf("Dropped a malformed action task: %s", task);
            } else {
                tasks.add(task);
            }
        }
        if (tasks.isEmpty()) {
            return;
        }
        // Recorded and started in as few commits as the free slots allow: that is what lets intake keep up.
        int recorded = worker.admit(tasks);
        if (recorded < tasks.size()) {
            LOG.debugf("%d of %d tasks were delivered before; their executions exist already", tasks.size() - recorded,
                    tasks.size());
        }
    }

    private static boolean isWellFormed(ActionTask task) {
        try {
            UUID.fromString(task.id());
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
        return task.orgId() != null && task.actionRef() != null && task.request() != null && task.request().url() != null;
    }
}
