package io.hookflow.delivery.execution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.event.ActionTask;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class ExecutionRepository implements PanacheRepositoryBase<Execution, UUID> {

    private final ObjectMapper mapper;

    ExecutionRepository(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Records a task as a PENDING execution due now. A redelivered task finds its execution already there and changes
     * nothing, which is what makes at-least-once consumption deliver once.
     *
     * @return whether a new execution was recorded
     */
    public boolean recordPending(ActionTask task, Instant now) {
        String request;
        try {
            request = mapper.writeValueAsString(task.request());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("task request is not serialisable", e);
        }
        // {h-schema} puts native SQL in the configured default schema, where Hibernate's own queries already look.
        int inserted = getEntityManager().createNativeQuery("""
                        insert into {h-schema}execution (id, org_id, rule_id, rule_ref, trigger_instance_id,
                                trigger_type, action_ref, status, request, destination_host, attempt_count,
                                next_attempt_at, created_at, updated_at)
                        values (:id, :orgId, :ruleId, :ruleRef, :triggerInstanceId, :triggerType, :actionRef,
                                'PENDING', cast(:request as jsonb), :host, 0, :now, :now, :now)
                        on conflict (id) do nothing""")
                .setParameter("id", UUID.fromString(task.id()))
                .setParameter("orgId", task.orgId())
                .setParameter("ruleId", task.ruleId())
                .setParameter("ruleRef", task.ruleRef())
                .setParameter("triggerInstanceId", task.triggerInstanceId())
                .setParameter("triggerType", task.trigger())
                .setParameter("actionRef", task.actionRef())
                .setParameter("request", request)
                .setParameter("host", hostOf(task.request().url()))
                .setParameter("now", now)
                .executeUpdate();
        return inserted == 1;
    }

    /**
     * Claims up to {@code limit} due executions for this worker: pending or retrying ones whose time has come, and
     * running ones whose worker let the lease expire (it died). SKIP LOCKED lets every replica claim at once without
     * waiting on, or double-claiming, each other's rows. Must run inside a transaction.
     */
    @SuppressWarnings("unchecked")
    public List<Execution> claimDue(int limit, Duration lease, Instant now) {
        if (limit <= 0) {
            return List.of();
        }
        List<UUID> ids = getEntityManager().createNativeQuery("""
                        select id from {h-schema}execution
                        where (status in ('PENDING', 'RETRYING') and next_attempt_at <= :now)
                           or (status = 'RUNNING' and lease_expires_at < :now)
                        order by next_attempt_at
                        limit :limit
                        for update skip locked""", UUID.class)
                .setParameter("now", now)
                .setParameter("limit", limit)
                .getResultList();
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Execution> claimed = list("id in ?1", ids);
        for (Execution execution : claimed) {
            execution.status = ExecutionStatus.RUNNING;
            execution.attemptCount++;
            execution.leaseExpiresAt = now.plus(lease);
            execution.updatedAt = now;
        }
        return claimed;
    }

    public Optional<Execution> findForOrg(String orgId, UUID id) {
        return find("id = ?1 and orgId = ?2", id, orgId).firstResultOptional();
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
        if (after != null) {
            query.append(" and (createdAt < :afterTime or (createdAt = :afterTime and id < :afterId))");
            params.and("afterTime", after.createdAt()).and("afterId", after.id());
        }
        query.append(" order by createdAt desc, id desc");
        return find(query.toString(), params).page(0, limit).list();
    }

    static String hostOf(String url) {
        try {
            return url == null ? null : URI.create(url).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Filters of the operator API; null means "any". */
    public record ExecutionFilter(ExecutionStatus status, String ruleId, String triggerInstanceId) {
    }

    /** A keyset position: stable under inserts, unlike offsets. */
    public record ExecutionCursor(Instant createdAt, UUID id) {
    }

}
