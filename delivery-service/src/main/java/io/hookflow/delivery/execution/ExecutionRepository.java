package io.hookflow.delivery.execution;

import io.hookflow.common.error.ApiException;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The operator's view of executions: find and lock one of an organisation, search, stats and status history. The
 * stages write executions through their own repositories (intake/, queue/, attempt/); this one reads for the API.
 */
@ApplicationScoped
public class ExecutionRepository implements PanacheRepositoryBase<Execution, UUID> {

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
