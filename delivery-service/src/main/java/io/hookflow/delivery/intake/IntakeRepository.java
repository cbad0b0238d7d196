package io.hookflow.delivery.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.delivery.attempt.VerdictRepository;
import io.hookflow.delivery.config.Jdbc;
import io.hookflow.delivery.destination.Destinations;
import io.hookflow.delivery.execution.Execution;
import io.hookflow.delivery.execution.ExecutionEventOutbox;
import io.hookflow.delivery.execution.ExecutionLifecycle;
import io.hookflow.delivery.observe.AttemptTraces;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Tasks become execution rows: inserted in batches, PENDING or already claimed, their events written with them. */
@ApplicationScoped
public class IntakeRepository {

    private final ObjectMapper mapper;
    private final ExecutionEventOutbox events;
    private final Jdbc jdbc;
    private final VerdictRepository verdicts;

    IntakeRepository(ObjectMapper mapper, ExecutionEventOutbox events, Jdbc jdbc, VerdictRepository verdicts) {
        this.jdbc = jdbc;
        this.verdicts = verdicts;
        this.mapper = mapper;
        this.events = events;
    }

    /**
     * Records a task as a PENDING execution due now. A redelivered task finds its execution already there and changes
     * nothing, which is what makes at-least-once consumption deliver once.
     *
     * @return whether a new execution was recorded
     */
    public boolean recordPending(ActionTask task, Instant now) {
        return recordPending(List.of(task), now) == 1;
    }

    /**
     * As {@link #recordPending(ActionTask, Instant)} for a polled batch: one JDBC batch for the rows, one for their
     * events.
     *
     * @return how many new executions were recorded
     */
    public int recordPending(List<ActionTask> tasks, Instant now) {
        return record(tasks, Set.of(), Duration.ZERO, now).size();
    }

    /**
     * Records a polled batch of tasks in one JDBC batch: those in {@code startNow} already claimed (RUNNING, first
     * attempt under a lease), the rest PENDING and due now. A claimed one still passes through PENDING in its history
     * and events, at the same instant: every execution's life reads the same way.
     *
     * @return the executions that are new, in task order; a redelivered task's execution was there already and is
     * neither returned nor claimed again
     */
    public List<Execution> record(List<ActionTask> tasks, Set<UUID> startNow, Duration lease, Instant now) {
        Map<UUID, ActionTask> byId = new LinkedHashMap<>();
        tasks.forEach(task -> byId.putIfAbsent(UUID.fromString(task.id()), task));
        List<Execution> rows = new ArrayList<>(byId.size());
        List<List<ExecutionEventOutbox.Change>> rowChanges = new ArrayList<>(byId.size());
        byId.forEach((id, task) -> {
            Execution execution = newExecution(task, now);
            // Every execution's life reads the same way: a claimed one passes through PENDING at the same instant.
            List<ExecutionEventOutbox.Change> changes = new ArrayList<>(2);
            changes.add(events.change(ExecutionLifecycle.admit(execution, now)));
            if (startNow.contains(id)) {
                changes.add(events.change(ExecutionLifecycle.claim(execution, lease, now)));
            }
            rows.add(execution);
            rowChanges.add(changes);
        });
        // Each row's history is written with it (V9): its PENDING, and RUNNING when it starts at once.
        Map<UUID, String> histories = new HashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            histories.put(rows.get(i).id, rowChanges.get(i).stream().map(ExecutionEventOutbox.Change::historyLine)
                    .collect(java.util.stream.Collectors.joining()));
        }
        int[] inserted = jdbc.batch("""
                insert into {schema}.execution (id, org_id, rule_id, rule_ref, trigger_instance_id, trigger_type,
                        action_ref, status, request, destination_host, destination, attempt_count, next_attempt_at,
                        lease_expires_at, created_at, updated_at, depth, history, trace_id, traceparent, lane, lane_seq)
                values (?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                        case when ? then nextval('{schema}.execution_lane_seq') end)
                on conflict (id) do nothing""", rows, (statement, execution) -> {
                    statement.setObject(1, execution.id);
                    statement.setString(2, execution.orgId);
                    statement.setString(3, execution.ruleId);
                    statement.setString(4, execution.ruleRef);
                    statement.setString(5, execution.triggerInstanceId);
                    statement.setString(6, execution.triggerType);
                    statement.setString(7, execution.actionRef);
                    statement.setString(8, execution.status.name());
                    statement.setString(9, json(execution.request));
                    statement.setString(10, execution.destinationHost);
                    statement.setString(11, execution.destination);
                    statement.setInt(12, execution.attemptCount);
                    Jdbc.setInstant(statement, 13, execution.nextAttemptAt);
                    Jdbc.setInstant(statement, 14, execution.leaseExpiresAt);
                    Jdbc.setInstant(statement, 15, execution.updatedAt);
                    Jdbc.setInstant(statement, 16, execution.updatedAt);
                    statement.setInt(17, execution.depth);
                    statement.setString(18, histories.get(execution.id));
                    statement.setString(19, execution.traceId);
                    statement.setString(20, execution.traceparent);
                    // A lane's place is taken here, row by row in task order: intake order. A redelivered task's row
                    // is there already and keeps its first place (the number drawn for the duplicate is just unused).
                    statement.setString(21, execution.lane);
                    statement.setBoolean(22, execution.lane != null);
                });
        // The events from what was just written, without loading it back; a redelivered task's row was there already.
        List<Execution> recorded = new ArrayList<>(rows.size());
        List<ExecutionEventOutbox.Change> changes = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (inserted[i] > 0) {
                recorded.add(rows.get(i));
                changes.addAll(rowChanges.get(i));
            }
        }
        events.publish(changes);
        return recorded;
    }

    /**
     * Records a task that cannot be delivered as it came (the database refused its content) as FAILED at once, with the
     * reason: operators find it like any other failure, and nothing is sent. Must run in a transaction.
     */
    public void recordFailed(ActionTask task, String reason, Instant now) {
        for (Execution execution : record(List.of(task), Set.of(), Duration.ZERO, now)) {
            ExecutionEventOutbox.Change failed = events.change(ExecutionLifecycle.fail(execution, reason, now));
            verdicts.saveVerdicts(List.of(execution), List.of(failed));
            events.publish(List.of(failed));
        }
    }

    /**
     * The row {@link #record} inserts for a task, detached, before {@link ExecutionLifecycle} gives it a status; its
     * request as intake sealed it.
     */
    private Execution newExecution(ActionTask task, Instant now) {
        Execution execution = new Execution();
        execution.id = UUID.fromString(task.id());
        execution.orgId = task.orgId();
        execution.ruleId = task.ruleId();
        execution.ruleRef = task.ruleRef();
        execution.triggerInstanceId = task.triggerInstanceId();
        execution.triggerType = task.trigger();
        execution.actionRef = task.actionRef();
        // Intake sealed any secret an older rules-service sent in the clear (intake/ActionTaskConsumer).
        execution.request = task.request();
        execution.destinationHost = Destinations.hostOf(task.request().url());
        execution.destination = Destinations.destinationOf(task.request().url());
        execution.createdAt = now;
        execution.depth = task.depth();
        execution.lane = task.lane();
        execution.traceparent = AttemptTraces.of(task.id());
        execution.traceId = AttemptTraces.traceIdOf(execution.traceparent);
        return execution;
    }


    private String json(OutboundRequest request) {
        try {
            return mapper.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("task request is not serialisable", e);
        }
    }
}
