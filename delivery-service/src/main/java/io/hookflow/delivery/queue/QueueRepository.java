package io.hookflow.delivery.queue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.delivery.config.Jdbc;
import io.hookflow.delivery.execution.Execution;
import io.hookflow.delivery.execution.ExecutionEventOutbox;
import io.hookflow.delivery.execution.ExecutionHistory;
import io.hookflow.delivery.execution.ExecutionLifecycle;
import io.hookflow.delivery.execution.ExecutionRows;
import io.hookflow.delivery.execution.ExecutionStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The execution table as a queue: due work locked with {@code SKIP LOCKED}, claimed under a lease, leases handed back,
 * and executions parked behind an open circuit. Persists what {@link ExecutionLifecycle} decides; decides nothing.
 */
@ApplicationScoped
public class QueueRepository implements PanacheRepositoryBase<Execution, UUID> {

    private final ObjectMapper mapper;
    private final ExecutionEventOutbox events;
    private final Jdbc jdbc;

    QueueRepository(ObjectMapper mapper, ExecutionEventOutbox events, Jdbc jdbc) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.events = events;
    }

    /**
     * Due executions, oldest due first, locked for this transaction: pending or retrying ones whose time has come, and
     * running ones whose worker let the lease expire (it died). SKIP LOCKED lets every replica look at once without
     * waiting on, or double-claiming, each other's rows. Destinations this replica has no room for are left out.
     * Of an ordered lane only its head is due ({@link #lockLaneHeads}). Must run inside a transaction; rows not claimed
     * in it are simply unlocked at commit.
     */
    public List<DueExecution> lockDue(int limit, Collection<String> skippedDestinations, Instant now) {
        return lockDue(limit, skippedDestinations, Skip.NONE, now);
    }

    /**
     * As {@link #lockDue(int, Collection, Instant)}, and also leaving out an organisation's destination ("org
     * destination") or a rule whose rate limit has no token for now: their rows stay due without being looked at.
     */
    public List<DueExecution> lockDue(int limit, Collection<String> skippedDestinations, Skip rateLimited, Instant now) {
        if (limit <= 0) {
            return List.of();
        }
        // Lane heads take at most half: at most one per lane, and a busy unordered backlog still gets its share.
        List<DueExecution> due = new ArrayList<>(lockLaneHeads(Math.max(1, limit / 2), skippedDestinations, rateLimited,
                now));
        // Unordered work: each query walks its own partial index and stops at the limit; one with an OR would scan the
        // table. The due index holds no lane rows (V14), so lanes cost this query nothing.
        due.addAll(lockWhere(
                "status in " + CLAIMABLE + " and next_attempt_at <= :now and not circuit_parked and lane is null",
                "order by next_attempt_at", limit - due.size(), skippedDestinations, rateLimited, now));
        if (due.size() < limit) {
            due.addAll(lockWhere("status = 'RUNNING' and lease_expires_at < :now", "order by lease_expires_at",
                    limit - due.size(), skippedDestinations, rateLimited, now));
        }
        return due;
    }

    /**
     * The due heads of ordered lanes, locked: a lane's head is its unfinished execution (PENDING, RUNNING or RETRYING,
     * parked or not) with the lowest place, and it is due when it is PENDING or RETRYING, its time has come and it is
     * not parked. A lane whose head is running, waiting for a retry or parked gives nothing, so nothing of a lane is
     * attempted before everything before it is finished. Lanes are walked one index probe each (a skip scan over
     * execution_lane_open), so a lane with a long backlog costs no more than one with a single execution. The lock
     * re-checks the row as it is now: a head another replica claimed or finished since the walk is left out (the next
     * one is then found by the next claim).
     */
    @SuppressWarnings("unchecked")
    List<DueExecution> lockLaneHeads(int limit, Collection<String> skipped, Skip rateLimited, Instant now) {
        String skip = skipClause(skipped, rateLimited);
        var query = getEntityManager().createNativeQuery("""
                        with recursive lanes(lane) as (
                            (select lane from {h-schema}execution
                             where lane is not null and status in ('PENDING', 'RUNNING', 'RETRYING')
                             order by lane limit 1)
                            union all
                            select (select e.lane from {h-schema}execution e
                                    where e.lane > lanes.lane and e.status in ('PENDING', 'RUNNING', 'RETRYING')
                                    order by e.lane limit 1)
                            from lanes where lanes.lane is not null),
                        heads as (
                            select head.id from lanes cross join lateral (
                                select e.id, e.status, e.next_attempt_at, e.circuit_parked from {h-schema}execution e
                                where e.lane = lanes.lane and e.status in ('PENDING', 'RUNNING', 'RETRYING')
                                order by e.lane_seq limit 1) head
                            where head.status in ('PENDING', 'RETRYING') and head.next_attempt_at <= :now
                                and not head.circuit_parked)
                        select id, org_id, destination from {h-schema}execution
                        where id in (select id from heads) and status in ('PENDING', 'RETRYING')
                            and next_attempt_at <= :now and not circuit_parked""" + skip + " " + """
                        order by next_attempt_at limit :limit for update skip locked""")
                .setParameter("now", now)
                .setParameter("limit", limit);
        bindSkip(query, skipped, rateLimited);
        List<Object[]> rows = query.getResultList();
        return rows.stream().map(row -> new DueExecution((UUID) row[0], (String) row[1], (String) row[2])).toList();
    }

    @SuppressWarnings("unchecked")
    private List<DueExecution> lockWhere(String condition, String order, int limit, Collection<String> skipped,
                                         Skip rateLimited, Instant now) {
        var query = getEntityManager().createNativeQuery("select id, org_id, destination from {h-schema}execution where "
                        + condition + skipClause(skipped, rateLimited) + " " + order + " limit :limit for update skip locked")
                .setParameter("now", now)
                .setParameter("limit", limit);
        bindSkip(query, skipped, rateLimited);
        List<Object[]> rows = query.getResultList();
        return rows.stream().map(row -> new DueExecution((UUID) row[0], (String) row[1], (String) row[2])).toList();
    }

    /** Leaves out the destinations this replica has no room for and those (or rules) a rate limit holds for now. */
    private static String skipClause(Collection<String> skipped, Skip rateLimited) {
        return (skipped.isEmpty() ? "" : " and (destination is null or destination not in (:skipped))")
                + (rateLimited.orgDestinations().isEmpty() ? ""
                        : " and (destination is null or org_id || ' ' || destination not in (:heldDestinations))")
                + (rateLimited.rules().isEmpty() ? "" : " and (rule_id is null or rule_id not in (:heldRules))");
    }

    private static void bindSkip(jakarta.persistence.Query query, Collection<String> skipped, Skip rateLimited) {
        if (!skipped.isEmpty()) {
            query.setParameter("skipped", skipped);
        }
        if (!rateLimited.orgDestinations().isEmpty()) {
            query.setParameter("heldDestinations", rateLimited.orgDestinations());
        }
        if (!rateLimited.rules().isEmpty()) {
            query.setParameter("heldRules", rateLimited.rules());
        }
    }

    /**
     * Takes locked due executions for this worker: RUNNING under a lease, one attempt more. One statement; the
     * executions returned are detached copies with what the attempt and its event need.
     */
    /** {@link ExecutionLifecycle#CLAIMABLE} as an SQL list: the statuses the claim moves to RUNNING. */
    private static final String CLAIMABLE = ExecutionLifecycle.CLAIMABLE.stream().map(status -> "'" + status.name() + "'")
            .collect(java.util.stream.Collectors.joining(", ", "(", ")"));

    public List<Execution> claim(List<UUID> ids, Duration lease, Instant now) {
        if (ids.isEmpty()) {
            return List.of();
        }
        // Joined with itself, the update returns each row's status from before it: the event's previous status.
        Map<Execution, ExecutionStatus> claimed = jdbc.work(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(jdbc.sql("""
                    update {schema}.execution e
                    set status = 'RUNNING', attempt_count = e.attempt_count + 1, lease_expires_at = ?,
                        circuit_parked = false, updated_at = ?,
                        history = coalesce(e.history, '') || case when before.status = 'RUNNING' then ''
                                  else before.status || ' RUNNING ' || ? || chr(10) end
                    from {schema}.execution before
                    where e.id = before.id and e.id = any (?)
                    returning e.id, e.org_id, e.rule_id, e.rule_ref, e.trigger_instance_id, e.trigger_type,
                              e.status, e.attempt_count, e.last_error, e.depth, before.status, e.destination,
                              cast(e.request as text), e.traceparent"""))) {
                Jdbc.setInstant(statement, 1, now.plus(lease));
                Jdbc.setInstant(statement, 2, now);
                statement.setString(3, ExecutionHistory.micros(now));
                statement.setArray(4, Jdbc.uuids(connection, ids));
                Map<Execution, ExecutionStatus> rows = new LinkedHashMap<>();
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        Execution execution = ExecutionRows.eventView(result);
                        execution.destination = result.getString(12);
                        execution.request = readRequest(result.getString(13));
                        execution.traceparent = result.getString(14);
                        rows.put(execution, ExecutionStatus.valueOf(result.getString(11)));
                    }
                }
                return rows;
            }
        });
        List<ExecutionEventOutbox.Change> changes = new ArrayList<>();
        // A lease taken over (RUNNING again) is no change of status, so no event.
        claimed.forEach((execution, previous) -> ExecutionLifecycle.claimed(execution, previous, now)
                .map(events::change).ifPresent(changes::add));
        events.publish(changes); // the statement appended the history lines
        return List.copyOf(claimed.keySet());
    }

    /**
     * Hands executions back that this replica claimed but will not finish (it is shutting down): their lease ends now,
     * so any replica claims them again at once instead of after the lease. Still RUNNING, as after a crash, and not a
     * change of status, so no event; the claim that takes them over counts the next attempt.
     *
     * @return how many were still RUNNING and were handed back
     */
    public int releaseLeases(Collection<UUID> ids, Instant now) {
        if (ids.isEmpty()) {
            return 0;
        }
        return jdbc.work(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(jdbc.sql("""
                    update {schema}.execution set lease_expires_at = ?, updated_at = ?
                    where id = any (?) and status = 'RUNNING'"""))) {
                Jdbc.setInstant(statement, 1, now);
                Jdbc.setInstant(statement, 2, now);
                statement.setArray(3, Jdbc.uuids(connection, List.copyOf(ids)));
                return statement.executeUpdate();
            }
        });
    }

    private OutboundRequest readRequest(String json) {
        try {
            return mapper.readValue(json, OutboundRequest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored request is always readable", e);
        }
    }

    /**
     * Parks locked due executions behind an open circuit until it closes ({@link ExecutionLifecycle#park}), in one
     * statement however many there are. They leave the due index (it holds no parked row), so a long backlog behind a
     * dead destination costs
     * the claim of healthy ones nothing; the probe is taken from them ({@link #lockParkedProbe}), and a closing circuit
     * releases them all in one statement ({@code CircuitRepository.unpark}).
     */
    public void park(List<UUID> ids, Instant nextProbe, String reason, Instant now) {
        if (ids.isEmpty()) {
            return;
        }
        Map<Execution, ExecutionStatus> parked = jdbc.work(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(jdbc.sql("""
                    update {schema}.execution e
                    set status = 'RETRYING', next_attempt_at = ?, lease_expires_at = null, circuit_parked = true,
                        last_error = ?, updated_at = ?,
                        history = coalesce(e.history, '') || case when before.status = 'RETRYING' then ''
                                  else before.status || ' RETRYING ' || ? || chr(10) end
                    from {schema}.execution before
                    where e.id = before.id and e.id = any (?)
                    returning e.id, e.org_id, e.rule_id, e.rule_ref, e.trigger_instance_id, e.trigger_type,
                              before.status, e.attempt_count, e.last_error, e.depth, e.traceparent"""))) {
                Jdbc.setInstant(statement, 1, nextProbe);
                statement.setString(2, reason);
                Jdbc.setInstant(statement, 3, now);
                statement.setString(4, ExecutionHistory.micros(now));
                statement.setArray(5, Jdbc.uuids(connection, ids));
                Map<Execution, ExecutionStatus> rows = new LinkedHashMap<>();
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        Execution execution = ExecutionRows.eventView(result);
                        execution.traceparent = result.getString(11);
                        rows.put(execution, execution.status);
                    }
                }
                return rows;
            }
        });
        List<ExecutionEventOutbox.Change> changes = new ArrayList<>();
        // The statement did what ExecutionLifecycle.park decides; replaying the move on the row as it was checks it and
        // gives the event (none for a row that was RETRYING already).
        parked.forEach((execution, before) -> ExecutionLifecycle.park(execution, nextProbe, reason, now)
                .map(events::change).ifPresent(changes::add));
        events.publish(changes); // the statement appended the history lines
    }

    /**
     * The oldest execution parked behind the organisation's circuit for this destination, locked for this transaction:
     * the probe of a circuit whose probe time has come. Empty when none is parked (or another replica holds it).
     */
    @SuppressWarnings("unchecked")
    public Optional<DueExecution> lockParkedProbe(String orgId, String destination) {
        List<Object[]> rows = getEntityManager().createNativeQuery("""
                        select id, org_id, destination from {h-schema}execution
                        where circuit_parked and org_id = :orgId and destination = :destination and status = 'RETRYING'
                        order by created_at limit 1 for update skip locked""")
                .setParameter("orgId", orgId)
                .setParameter("destination", destination)
                .getResultList();
        return rows.stream().findFirst().map(row -> new DueExecution((UUID) row[0], (String) row[1], (String) row[2]));
    }

    /** Pending or retrying executions whose time has come: the backlog the workers have not claimed yet. */
    public long countDue(Instant now) {
        return count("status in ?1 and nextAttemptAt <= ?2 and circuitParked = false",
                List.of(ExecutionStatus.PENDING, ExecutionStatus.RETRYING), now);
    }

    /** Rows a claim leaves out for their rate limits: "org destination" pairs and rule ids. */
    public record Skip(Collection<String> orgDestinations, Collection<String> rules) {
        public static final Skip NONE = new Skip(List.of(), List.of());
    }

    /** A due execution, locked, before the worker decides to claim or park it. */
    public record DueExecution(UUID id, String orgId, String destination) {
    }
}
