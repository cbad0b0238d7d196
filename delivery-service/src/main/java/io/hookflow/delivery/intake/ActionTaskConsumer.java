package io.hookflow.delivery.intake;

import io.hookflow.common.event.OutboundRequest;
import io.hookflow.common.observe.WebhookTrail;
import io.hookflow.common.retry.Backoff;
import io.hookflow.delivery.secret.RequestSecrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.Topics;
import io.hookflow.delivery.observe.AttemptTraces;
import io.hookflow.delivery.queue.DeliveryWorker;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Turns each task into an execution, a polled batch per transaction where the free slots allow (see
 * {@link Admission#admit}). The Kafka offsets are committed only after
 * the rows are committed, so a crash in between redelivers the tasks, and the task id as primary key makes that
 * harmless.
 */
@ApplicationScoped
public class ActionTaskConsumer {

    private static final Logger LOG = Logger.getLogger(ActionTaskConsumer.class);

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final Admission admission;
    private final RequestSecrets secrets;
    private final IntakeRepository executions;
    private final ObjectMapper mapper;
    private final ChannelRegistry channels;

    ActionTaskConsumer(Admission admission, IntakeRepository executions, RequestSecrets secrets, ObjectMapper mapper,
                       ChannelRegistry channels) {
        this.secrets = secrets;
        this.admission = admission;
        this.executions = executions;
        this.mapper = mapper;
        this.channels = channels;
    }

    /**
     * Shutdown, first step: take no more tasks. What is not yet taken stays in Kafka, uncommitted, for the replica that
     * gets the partition next; a batch under way still finishes (recorded PENDING once the worker drains).
     */
    void stopTaking(@Observes @Priority(DeliveryWorker.DRAIN_PRIORITY - 100) ShutdownEvent shutdown) {
        PausableChannel channel = channels.getPausable(Topics.ACTION_TASKS);
        if (channel != null) {
            channel.pause();
        }
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
                tasks.add(sealed(task));
            }
        }
        if (tasks.isEmpty()) {
            return;
        }
        try {
            // Recorded and started in as few commits as the free slots allow: that is what lets intake keep up.
            untilStored(() -> admission.admit(tasks));
        } catch (Refused refused) {
            // One task the database cannot store must not hold back the others behind it in the partition.
            LOG.warnf("The database refused a batch of %d tasks (%s); recording them one by one", tasks.size(),
                    refused.getCause().toString());
            tasks.forEach(this::admitAlone);
        } finally {
            // Only now: a transaction retried above reads each task's trace context again.
            AttemptTraces.forget(tasks.stream().map(ActionTask::id).toList());
        }
    }

    /** A task from an older rules-service may carry its password or secret in the clear: never store it so. */
    private ActionTask sealed(ActionTask task) {
        OutboundRequest request = secrets.sealed(task.request());
        return request == task.request() ? task : new ActionTask(task.version(), task.id(), task.orgId(),
                task.triggerInstanceId(), task.trigger(), task.ruleId(), task.ruleRef(), task.actionRef(), request,
                task.createdAt(), task.depth(), task.lane());
    }

    private void admitAlone(ActionTask task) {
        WebhookTrail.about(task.orgId(), task.triggerInstanceId(), task.id());
        AttemptTraces.inLogs(AttemptTraces.of(task.id()), null);
        try {
            untilStored(() -> admission.admit(List.of(task)));
        } catch (Refused refused) {
            String reason = "the task could not be stored as it came (" + refused.getCause().getMessage()
                    + "); nothing was sent";
            try {
                // Visible to operators as FAILED, with NUL characters (which PostgreSQL text cannot hold) removed.
                untilStored(() -> QuarkusTransaction.requiringNew().run(() ->
                        executions.recordFailed(withoutNul(task), reason, Instant.now())));
            } catch (Refused again) {
                LOG.errorf(again.getCause(), "Dropped action task %s: the database refuses even its cleaned copy",
                        task.id());
            }
        } finally {
            WebhookTrail.clear();
        }
    }

    /**
     * Runs the admission until the database has it, waiting out a database that is away (Kafka keeps the tasks
     * meanwhile, and their offsets are committed only after this returns).
     *
     * @throws Refused when the database refuses the content, which no retry changes
     */
    private void untilStored(Runnable admission) throws Refused {
        Backoff backoff = new Backoff(FIRST_BACKOFF, MAX_BACKOFF);
        while (true) {
            try {
                admission.run();
                return;
            } catch (RuntimeException e) {
                if (refusesContent(e)) {
                    throw new Refused(e);
                }
                if (!this.admission.running() || Thread.currentThread().isInterrupted()) {
                    throw e; // shutting down: not acknowledged, so the tasks come again to whoever consumes next
                }
                Duration delay = backoff.next();
                LOG.warnf("Could not record action tasks, retrying in %s: %s", delay, e.toString());
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** SQL states of class 22 (data exception) and 23 (integrity): the content is wrong, not the database's state. */
    static boolean refusesContent(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return true;
            }
            if (cause == cause.getCause()) {
                break;
            }
        }
        return false;
    }

    /** The task with every NUL character removed from its strings, through its JSON tree. */
    private ActionTask withoutNul(ActionTask task) {
        JsonNode tree = mapper.valueToTree(task);
        return mapper.convertValue(strip(tree), ActionTask.class);
    }

    private static JsonNode strip(JsonNode node) {
        if (node.isTextual()) {
            return TextNode.valueOf(node.textValue().replace("\u0000", ""));
        }
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            ObjectNode clean = object.objectNode();
            names.forEach(name -> clean.set(name.replace("\u0000", ""), strip(object.get(name))));
            return clean;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode clean = array.arrayNode();
            array.forEach(element -> clean.add(strip(element)));
            return clean;
        }
        return node;
    }

    /** The database refused the content itself. */
    private static final class Refused extends Exception {
        Refused(Throwable cause) {
            super(cause);
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
