package io.hookflow.delivery.execution;

import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.Topics;
import io.hookflow.delivery.dispatch.DeliveryWorker;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Turns each task into a PENDING execution. The Kafka offset is committed only after the row is committed, so a
 * crash in between redelivers the task, and the task id as primary key makes that harmless.
 */
@ApplicationScoped
public class ActionTaskConsumer {

    private static final Logger LOG = Logger.getLogger(ActionTaskConsumer.class);

    private final ExecutionRepository executions;
    private final DeliveryWorker worker;

    ActionTaskConsumer(ExecutionRepository executions, DeliveryWorker worker) {
        this.executions = executions;
        this.worker = worker;
    }

    @Incoming(Topics.ACTION_TASKS)
    @Blocking
    public void consume(ActionTask task) {
        if (task == null || !isWellFormed(task)) {
            // Retrying cannot repair a task without an id or a request; park it in the log instead of blocking the topic.
            LOG.errorf("Dropped a malformed action task: %s", task);
            return;
        }
        boolean recorded = QuarkusTransaction.requiringNew()
                .call(() -> executions.recordPending(task, Instant.now()));
        if (recorded) {
            worker.wakeUp();
        } else {
            LOG.debugf("Task %s was delivered before; its execution exists already", task.id());
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
