package io.hookflow.delivery.execution;

import io.hookflow.delivery.observe.AttemptTraces;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.error.ApiException;
import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.delivery.attempt.VerdictRepository;
import io.hookflow.delivery.config.Jdbc;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

@ApplicationScoped
public class ExecutionRepository implements PanacheRepositoryBase<Execution, UUID> {

    private final ObjectMapper mapper;
    private final ExecutionEventOutbox events;
    private final Jdbc jdbc;
    private final VerdictRepository verdicts;

    ExecutionRepository(ObjectMapper mapper, ExecutionEventOutbox events, Jdbc jdbc, VerdictRepository verdicts) {
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
                        lease_expires_at, created_at, updated_at, depth, history, trace_id, traceparent)
                values (?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
        execution.destinationHost = hostOf(task.request().url());
        execution.destination = destinationOf(task.request().url());
        execution.createdAt = now;
        execution.depth = task.depth();
        execution.traceparent = AttemptTraces.take(task.id());
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

    /** Executions whose stored request still holds a password or secret in the clear, locked; at most {@code limit}. */
    @SuppressWarnings("unchecked")
    public List<UUID> lockWithPlaintextSecrets(int limit) {
        return getEntityManager().createNativeQuery("""
                        select id from {h-schema}execution
                        where (request ->> 'password' <> '' and request ->> 'password' not like 'enc:v1:%')
                           or (request ->> 'secret' <> '' and request ->> 'secret' not like 'enc:v1:%')
                        limit :limit
                        for update skip locked""", UUID.class)
                .setParameter("limit", limit)
                .getResultList();
    }

    public Optional<Execution> findForOrg(String orgId, UUID id) {
        return find("id = ?1 and orgId = ?2", id, orgId).firstResultOptional();
    }

    /**
     * As {@link #findForOrg}, locked until the transaction ends, so the worker and an operator never both decide.
     *
     * @throws ApiException 404 when the organisation has no such execution
     */
    public Execution lockForOrg(String orgId, UUID id) {
        return find("id = ?1 and orgId = ?2", id, orgId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional()
                .orElseThrow(() -> ApiException.notFound("no execution " + id));
    }

    /** How many executions of the organisation were created in [since, until), by status. */
    public Map<ExecutionStatus, Long> countByStatus(String orgId, Instant since, Instant until) {
        Map<ExecutionStatus, Long> counts = new EnumMap<>(ExecutionStatus.class);
        for (ExecutionStatus status : ExecutionStatus.values()) {
            counts.put(status, 0L);
        }
        List<Object[]> rows = getEntityManager().createQuery("""
                        select e.status, count(e) from Execution e
                        where e.orgId = :orgId and e.createdAt >= :since and e.createdAt < :until
                        group by e.status""", Object[].class)
                .setParameter("orgId", orgId)
                .setParameter("since", since)
                .setParameter("until", until)
                .getResultList();
        rows.forEach(row -> counts.put((ExecutionStatus) row[0], ((Number) row[1]).longValue()));
        return counts;
    }

    /** Latency percentiles of the organisation's attempts started in [since, until), computed by PostgreSQL. */
    public ExecutionStats.AttemptLatency attemptLatency(String orgId, Instant since, Instant until) {
        Object[] row = (Object[]) getEntityManager().createNativeQuery("""
                        select count(*),
                               percentile_cont(0.5) within group (order by a.duration_ms),
                               percentile_cont(0.95) within group (order by a.duration_ms),
                               percentile_cont(0.99) within group (order by a.duration_ms)
                        from {h-schema}attempt a join {h-schema}execution e on e.id = a.execution_id
                        where e.org_id = :orgId and a.started_at >= :since and a.started_at < :until""")
                .setParameter("orgId", orgId)
                .setParameter("since", since)
                .setParameter("until", until)
                .getSingleResult();
        return new ExecutionStats.AttemptLatency(((Number) row[0]).longValue(), asDouble(row[1]), asDouble(row[2]),
                asDouble(row[3]));
    }

    private static Double asDouble(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }

    /** Newest first; the cursor is the last row of the previous page. */
    public List<Execution> search(String orgId, ExecutionFilter filter, ExecutionCursor after, int limit) {
        StringBuilder query = new StringBuilder("orgId = :orgId");
        Parameters params = Parameters.with("orgId", orgId);
        if (filter.status() != null) {
            query.append(" and status = :status");
            params.and("status", filter.status());
        }
        if (filter.ruleId() != null) {
            query.append(" and (ruleId = :rule or ruleRef = :rule)");
            params.and("rule", filter.ruleId());
        }
        if (filter.triggerInstanceId() != null) {
            query.append(" and triggerInstanceId = :triggerInstanceId");
            params.and("triggerInstanceId", filter.triggerInstanceId());
        }
        if (filter.host() != null) {
            query.append(" and lower(destinationHost) = :host");
            params.and("host", filter.host().trim().toLowerCase(Locale.ROOT));
        }
        if (filter.since() != null) {
            query.append(" and createdAt >= :since");
            params.and("since", filter.since());
        }
        if (filter.until() != null) {
            query.append(" and createdAt < :until");
            params.and("until", filter.until());
        }
        if (after != null) {
            query.append(" and (createdAt < :afterTime or (createdAt = :afterTime and id < :afterId))");
            params.and("afterTime", after.createdAt()).and("afterId", after.id());
        }
        query.append(" order by createdAt desc, id desc");
        return find(query.toString(), params).page(0, limit).list();
    }

    /** host:port with the scheme's default port filled in, lower case; null for a URL without a host. */
    public static String destinationOf(String url) {
        try {
            URI uri = url == null ? null : URI.create(url);
            if (uri == null || uri.getHost() == null) {
                return null;
            }
            int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            return uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String hostOf(String url) {
        try {
            String host = url == null ? null : URI.create(url).getHost();
            return host == null ? null : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Filters of the operator API; null means "any". */
    public record ExecutionFilter(ExecutionStatus status, String ruleId, String triggerInstanceId, String host,
                                  Instant since, Instant until) {
    }

    /** A keyset position: stable under inserts, unlike offsets. */
    public record ExecutionCursor(Instant createdAt, UUID id) {
    }


    /**
     * The execution's status changes, oldest first: its row's history column (V9) after the execution_transition rows
     * of changes made before it (V5).
     */
    @SuppressWarnings("unchecked")
    public List<ExecutionView.TransitionView> transitions(UUID executionId) {
        List<Object[]> rows = getEntityManager().createNativeQuery(
                        "select from_status, to_status, cast(extract(epoch from at) * 1000000 as bigint)"
                                + " from {h-schema}execution_transition where execution_id = :id order by id")
                .setParameter("id", executionId)
                .getResultList();
        List<ExecutionView.TransitionView> before = rows.stream().map(row -> new ExecutionView.TransitionView(
                (String) row[0], (String) row[1], Instant.EPOCH.plus(((Number) row[2]).longValue(), ChronoUnit.MICROS)))
                .toList();
        List<String> history = getEntityManager().createNativeQuery(
                        "select history from {h-schema}execution where id = :id")
                .setParameter("id", executionId)
                .getResultList();
        return ExecutionHistory.merged(before, history.isEmpty() ? null : history.get(0));
    }
}
