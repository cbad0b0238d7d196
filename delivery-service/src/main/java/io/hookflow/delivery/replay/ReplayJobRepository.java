package io.hookflow.delivery.replay;

import io.hookflow.delivery.config.Jdbc;
import io.hookflow.delivery.execution.Execution;
import io.hookflow.delivery.execution.ExecutionStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/** The replay_job table (V11) and the walk over the executions a job matches, in plain SQL. */
@ApplicationScoped
public class ReplayJobRepository {

    private static final String COLUMNS = """
            id, statuses, rule, destination, since, until, rate_per_second, status, matched, queued, error, created_at,
            updated_at, finished_at, cursor_created_at, cursor_id, org_id, lease_owner""";

    private final Jdbc jdbc;
    private final EntityManager entityManager;

    ReplayJobRepository(Jdbc jdbc, EntityManager entityManager) {
        this.jdbc = jdbc;
        this.entityManager = entityManager;
    }

    /** A job as stored, with what only the runner needs beside the operator's view. */
    record Stored(ReplayJob job, String orgId, Instant cursorCreatedAt, UUID cursorId, String leaseOwner) {
    }

    void insert(String orgId, ReplayJob job) {
        jdbc.work(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(jdbc.sql("""
                    insert into {schema}.replay_job (id, org_id, statuses, rule, destination, since, until,
                            rate_per_second, status, created_at, updated_at)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""))) {
                ReplayFilter filter = job.filter();
                statement.setString(1, job.id());
                statement.setString(2, orgId);
                statement.setString(3, filter.statuses().stream().map(Enum::name).collect(Collectors.joining(",")));
                statement.setString(4, filter.ruleId());
                statement.setString(5, filter.destination());
                Jdbc.setInstant(statement, 6, filter.since());
                Jdbc.setInstant(statement, 7, filter.until());
                statement.setInt(8, job.ratePerSecond());
                statement.setString(9, job.status());
                Jdbc.setInstant(statement, 10, job.createdAt());
                Jdbc.setInstant(statement, 11, job.createdAt());
                return statement.executeUpdate();
            }
        });
    }

    Optional<Stored> find(String orgId, String id) {
        return one("select " + COLUMNS + " from {schema}.replay_job where org_id = ? and id = ?", orgId, id);
    }

    /** The organisation's jobs, newest first, after the cursor's job if any. */
    List<ReplayJob> list(String orgId, Instant afterCreatedAt, String afterId, int limit) {
        return jdbc.work(connection -> {
            String keyset = afterCreatedAt == null ? "" : " and (created_at < ? or (created_at = ? and id < ?))";
            try (PreparedStatement statement = connection.prepareStatement(jdbc.sql("select " + COLUMNS
                    + " from {schema}.replay_job where org_id = ?" + keyset
                    + " order by created_at desc, id desc limit ?"))) {
                int i = 1;
                statement.setString(i++, orgId);
                if (afterCreatedAt != null) {
                    Jdbc.setInstant(statement, i++, afterCreatedAt);
                    Jdbc.setInstant(statement, i++, afterCreatedAt);
                    statement.setString(i++, afterId);
                }
                statement.setInt(i, limit);
                List<ReplayJob> jobs = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        jobs.add(stored(rows).job());
                    }
                }
                return jobs;
            }
        });
    }

    /** The job locked until the transaction ends: a cancel and a runner's batch never both decide. */
    Optional<Stored> lock(String orgId, String id) {
        return one("select " + COLUMNS + " from {schema}.replay_job where org_id = ? and id = ? for update", orgId, id);
    }

    /** As {@link #lock} by id alone, for the runner. */
    Optional<Stored> lock(String id) {
        return one("select " + COLUMNS + " from {schema}.replay_job where id = ? for update", id);
    }

    /**
     * Takes the oldest running job that no runner holds (never held, or its runner's lease ran out) for {@code owner},
     * or none. SKIP LOCKED: replicas looking at once never take the same job.
     */
    Optional<Stored> claim(String owner, Instant leaseUntil, Instant now) {
        return jdbc.work(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(jdbc.sql("""
                    update {schema}.replay_job set lease_owner = ?, lease_expires_at = ?, updated_at = ?
                    where id = (select id from {schema}.replay_job
                                where status = 'running' and (lease_expires_at is null or lease_expires_at < ?)
                                order by created_at limit 1 for update skip locked)
                    """ + " returning " + COLUMNS))) {
                statement.setString(1, owner);
                Jdbc.setInstant(statement, 2, leaseUntil);
                Jdbc.setInstant(statement, 3, now);
                Jdbc.setInstant(statement, 4, now);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(stored(rows)) : Optional.<Stored>empty();
                }
            }
        });
    }

    /** A batch's progress: the cursor moves to the last execution looked at, the counts grow, the lease is renewed. */
    void advance(String id, Instant cursorCreatedAt, UUID cursorId, int matched, int queued, Instant leaseUntil,
                 Instant now) {
        jdbc.work(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(jdbc.sql("""
                    update {schema}.replay_job
                    set cursor_created_at = coalesce(?, cursor_created_at), cursor_id = coalesce(?, cursor_id),
                        matched = matched + ?, queued = queued + ?, lease_expires_at = ?, updated_at = ?
                    where id = ?"""))) {
                Jdbc.setInstant(statement, 1, cursorCreatedAt);
                statement.setObject(2, cursorId, Types.OTHER);
                statement.setInt(3, matched);
                statement.setInt(4, queued);
                Jdbc.setInstant(statement, 5, leaseUntil);
                Jdbc.setInstant(statement, 6, now);
                statement.setString(7, id);
                return statement.executeUpdate();
            }
        });
    }

    /** Ends a job: completed, canceled or failed; its lease is released. */
    void finish(String id, String status, String error, Instant now) {
        jdbc.work(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(jdbc.sql("""
                    update {schema}.replay_job
                    set status = ?, error = ?, finished_at = ?, updated_at = ?, lease_owner = null,
                        lease_expires_at = null
                    where id = ? and status = 'running'"""))) {
                statement.setString(1, status);
                statement.setString(2, error);
                Jdbc.setInstant(statement, 3, now);
                Jdbc.setInstant(statement, 4, now);
                statement.setString(5, id);
                return statement.executeUpdate();
            }
        });
    }

    /**
     * The next executions the job matches after its cursor, in creation order, locked for this transaction (an operator's
     * retry or a worker's verdict on one of them waits, then the status is checked again).
     */
    List<Execution> lockNextMatches(Stored stored, int limit) {
        ReplayFilter filter = stored.job().filter();
        StringBuilder query = new StringBuilder("""
                select e from Execution e
                where e.orgId = :orgId and e.createdAt >= :since and e.createdAt < :until and e.status in :statuses""");
        if (filter.ruleId() != null) {
            query.append(" and (e.ruleId = :rule or e.ruleRef = :rule)");
        }
        if (filter.destination() != null) {
            query.append(filter.destinationHasPort() ? " and e.destination = :destination"
                    : " and lower(e.destinationHost) = :destination");
        }
        if (stored.cursorCreatedAt() != null) {
            query.append(" and (e.createdAt > :cursorAt or (e.createdAt = :cursorAt and e.id > :cursorId))");
        }
        query.append(" order by e.createdAt, e.id");
        TypedQuery<Execution> typed = entityManager.createQuery(query.toString(), Execution.class)
                .setParameter("orgId", stored.orgId())
                .setParameter("since", filter.since())
                .setParameter("until", filter.until())
                .setParameter("statuses", filter.statuses());
        if (filter.ruleId() != null) {
            typed.setParameter("rule", filter.ruleId());
        }
        if (filter.destination() != null) {
            // A bare host matches the host column, which (like the destination) keeps an IPv6 address bracketed.
            typed.setParameter("destination", filter.destination());
        }
        if (stored.cursorCreatedAt() != null) {
            typed.setParameter("cursorAt", stored.cursorCreatedAt()).setParameter("cursorId", stored.cursorId());
        }
        return typed.setMaxResults(limit).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
    }

    private Optional<Stored> one(String sql, String... parameters) {
        return jdbc.work(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(jdbc.sql(sql))) {
                for (int i = 0; i < parameters.length; i++) {
                    statement.setString(i + 1, parameters[i]);
                }
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(stored(rows)) : Optional.<Stored>empty();
                }
            }
        });
    }

    private static Stored stored(ResultSet row) throws SQLException {
        List<ExecutionStatus> statuses = Arrays.stream(row.getString(2).split(","))
                .map(ExecutionStatus::valueOf).toList();
        ReplayFilter filter = new ReplayFilter(statuses, row.getString(3), row.getString(4), instant(row, 5),
                instant(row, 6));
        ReplayJob job = new ReplayJob(row.getString(1), filter, row.getInt(7), row.getString(8), row.getLong(9),
                row.getLong(10), row.getString(11), instant(row, 12), instant(row, 13), instant(row, 14));
        return new Stored(job, row.getString(17), instant(row, 15), row.getObject(16, UUID.class), row.getString(18));
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }
}
