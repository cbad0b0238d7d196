package io.hookflow.delivery.circuit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.hibernate.query.NativeQuery;

/** The destination_circuit table, in plain SQL: every statement here is a small atomic step several replicas race on. */
@ApplicationScoped
public class CircuitRepository {

    private static final String TABLE = "destination_circuit";
    private static final String COLUMNS =
            "destination, state, consecutive_failures, last_error, opened_at, next_probe_at, updated_at, failing_since,"
                    + " disabled_at";

    private final EntityManager entityManager;

    CircuitRepository(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Circuits of the organisation that are not CLOSED, among the given destinations. */
    @SuppressWarnings("unchecked")
    public List<Circuit> notClosed(String orgId, Collection<String> destinations) {
        if (destinations.isEmpty()) {
            return List.of();
        }
        List<Object[]> rows = sql("select " + COLUMNS + " from {h-schema}destination_circuit"
                        + " where org_id = :orgId and state <> 'CLOSED' and destination in (:destinations)")
                .setParameter("orgId", orgId)
                .setParameter("destinations", destinations)
                .getResultList();
        return rows.stream().map(CircuitRepository::circuit).toList();
    }

    /** The organisation's circuits: those not CLOSED first, then by destination. */
    @SuppressWarnings("unchecked")
    public List<Circuit> listForOrg(String orgId) {
        List<Object[]> rows = sql("select " + COLUMNS + " from {h-schema}destination_circuit"
                        + " where org_id = :orgId order by state = 'CLOSED', destination")
                .setParameter("orgId", orgId)
                .getResultList();
        return rows.stream().map(CircuitRepository::circuit).toList();
    }

    /** Open circuits whose probe time has come, as (organisation, destination): each may take one parked probe. */
    @SuppressWarnings("unchecked")
    public List<Object[]> dueProbes(Instant now) {
        return sql("select org_id, destination from {h-schema}destination_circuit"
                + " where state <> 'CLOSED' and next_probe_at <= :now").setParameter("now", now).getResultList();
    }

    public long countNotClosed() {
        return ((Number) sql(
                "select count(*) from {h-schema}destination_circuit where state <> 'CLOSED'").getSingleResult()).longValue();
    }

    /**
     * Takes the probe of an open circuit whose probe time has come: HALF_OPEN until {@code holdUntil}. The row lock
     * held until commit makes the condition fail for every other replica, so exactly one probe goes.
     */
    public boolean takeProbe(String orgId, String destination, Instant now, Instant holdUntil) {
        return sql("""
                        update {h-schema}destination_circuit
                        set state = 'HALF_OPEN', next_probe_at = :holdUntil, updated_at = :now
                        where org_id = :orgId and destination = :destination and state <> 'CLOSED'
                          and next_probe_at <= :now""")
                .setParameter("orgId", orgId)
                .setParameter("destination", destination)
                .setParameter("now", now)
                .setParameter("holdUntil", holdUntil)
                .executeUpdate() == 1;
    }

    /** Makes sure the row exists (listed by the API from the first attempt on); never blocks on a concurrent change. */
    public void ensure(String orgId, String destination, Instant now) {
        sql("""
                        insert into {h-schema}destination_circuit (org_id, destination, state, consecutive_failures, updated_at)
                        values (:orgId, :destination, 'CLOSED', 0, :now)
                        on conflict (org_id, destination) do nothing""")
                .setParameter("orgId", orgId)
                .setParameter("destination", destination)
                .setParameter("now", now)
                .executeUpdate();
    }

    /**
     * An operator's enable: a DISABLED circuit is CLOSED again with a clean slate.
     *
     * @return false when the circuit was not DISABLED (or does not exist)
     */
    public boolean enable(String orgId, String destination, Instant now) {
        return sql("""
                        update {h-schema}destination_circuit
                        set state = 'CLOSED', consecutive_failures = 0, opened_at = null, next_probe_at = null,
                            failing_since = null, disabled_at = null, updated_at = :now
                        where org_id = :orgId and destination = :destination and state = 'DISABLED'""")
                .setParameter("orgId", orgId)
                .setParameter("destination", destination)
                .setParameter("now", now)
                .executeUpdate() == 1;
    }

    /** The organisation's circuit for the destination. */
    @SuppressWarnings("unchecked")
    public Optional<Circuit> find(String orgId, String destination) {
        List<Object[]> rows = sql("select " + COLUMNS + " from {h-schema}destination_circuit"
                        + " where org_id = :orgId and destination = :destination")
                .setParameter("orgId", orgId)
                .setParameter("destination", destination)
                .getResultList();
        return rows.stream().findFirst().map(CircuitRepository::circuit);
    }

    /**
     * Disabled circuits whose event is not yet published, locked (SKIP LOCKED: one relay takes each), with their
     * organisation: (org_id, circuit).
     */
    @SuppressWarnings("unchecked")
    public List<Object[]> lockPendingEvents(int limit) {
        List<Object[]> rows = sql("select org_id, " + COLUMNS + " from {h-schema}destination_circuit"
                        + " where disabled_event_pending limit :limit for update skip locked")
                .setParameter("limit", limit)
                .getResultList();
        return rows.stream().map(row -> new Object[] {row[0], circuit(java.util.Arrays.copyOfRange(row, 1, row.length))})
                .toList();
    }

    public void eventPublished(String orgId, String destination) {
        sql("""
                        update {h-schema}destination_circuit set disabled_event_pending = false
                        where org_id = :orgId and destination = :destination""")
                .setParameter("orgId", orgId)
                .setParameter("destination", destination)
                .executeUpdate();
    }

    /** Closes the circuit if it was not cleanly closed; touches (and locks) nothing when it was. A DISABLED one stays. */
    public boolean close(String orgId, String destination, Instant now) {
        return sql("""
                        update {h-schema}destination_circuit
                        set state = 'CLOSED', consecutive_failures = 0, opened_at = null, next_probe_at = null,
                            failing_since = null, updated_at = :now
                        where org_id = :orgId and destination = :destination and state <> 'DISABLED'
                          and (state <> 'CLOSED' or consecutive_failures > 0)""")
                .setParameter("orgId", orgId)
                .setParameter("destination", destination)
                .setParameter("now", now)
                .executeUpdate() == 1;
    }

    /** The row locked until commit, so two failures recorded at once both count. */
    public Optional<Circuit> lock(String orgId, String destination) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = sql("select " + COLUMNS + " from {h-schema}destination_circuit"
                        + " where org_id = :orgId and destination = :destination for update")
                .setParameter("orgId", orgId)
                .setParameter("destination", destination)
                .getResultList();
        return rows.stream().findFirst().map(CircuitRepository::circuit);
    }

    public void update(String orgId, Circuit circuit) {
        // Typed binding: a null time must still reach PostgreSQL as a timestamptz.
        sql("""
                        update {h-schema}destination_circuit
                        set state = :state, consecutive_failures = :failures, last_error = :lastError,
                            opened_at = :openedAt, next_probe_at = :nextProbeAt, updated_at = :updatedAt,
                            failing_since = :failingSince, disabled_at = :disabledAt,
                            disabled_event_pending = disabled_event_pending
                                or (:state = 'DISABLED' and state <> 'DISABLED')
                        where org_id = :orgId and destination = :destination""")
                .setParameter("state", circuit.state().name())
                .setParameter("failures", circuit.consecutiveFailures())
                .setParameter("lastError", circuit.lastError())
                .setParameter("openedAt", circuit.openedAt(), Instant.class)
                .setParameter("nextProbeAt", circuit.nextProbeAt(), Instant.class)
                .setParameter("updatedAt", circuit.updatedAt())
                .setParameter("failingSince", circuit.failingSince(), Instant.class)
                .setParameter("disabledAt", circuit.disabledAt(), Instant.class)
                .setParameter("orgId", orgId)
                .setParameter("destination", circuit.destination())
                .executeUpdate();
    }

    /**
     * A closed circuit releases what it parked: due now rather than at the probe time it was given. On the execution
     * table (queue/ parks them), here so that the circuit never calls the stage that consults it.
     */
    public int unpark(String orgId, String destination, Instant now) {
        return entityManager.createNativeQuery("""
                        update {h-schema}execution set next_attempt_at = :now, circuit_parked = false, updated_at = :now
                        where org_id = :orgId and destination = :destination and circuit_parked
                          and status = 'RETRYING'""")
                .setParameter("now", now)
                .setParameter("orgId", orgId)
                .setParameter("destination", destination)
                .executeUpdate();
    }

    /** A native query on the circuit table only: Hibernate need not flush loaded executions and attempts before it. */
    @SuppressWarnings("rawtypes")
    private NativeQuery sql(String sql) {
        return entityManager.createNativeQuery(sql).unwrap(NativeQuery.class).addSynchronizedQuerySpace(TABLE);
    }

    private static Circuit circuit(Object[] row) {
        return new Circuit((String) row[0], CircuitState.valueOf((String) row[1]), ((Number) row[2]).intValue(),
                (String) row[3], instant(row[4]), instant(row[5]), instant(row[6]), instant(row[7]), instant(row[8]));
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        return ((Timestamp) value).toInstant();
    }
}
