package io.hookflow.delivery.execution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.event.ExecutionEvent;
import io.hookflow.delivery.config.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Writes status-change events into the outbox table, inside the transaction that changes the status: both commit or
 * neither does. {@link ExecutionEventRelay} takes them to Kafka.
 */
@ApplicationScoped
public class ExecutionEventOutbox {

    private final EntityManager entityManager;
    private final ObjectMapper mapper;
    private final Jdbc jdbc;

    ExecutionEventOutbox(EntityManager entityManager, ObjectMapper mapper, Jdbc jdbc) {
        this.entityManager = entityManager;
        this.mapper = mapper;
        this.jdbc = jdbc;
    }

    /** Records one move of the execution's lifecycle; must run in a transaction. */
    public void write(ExecutionLifecycle.Move move) {
        write(List.of(change(move)));
    }

    /**
     * The event for a move, taken now: the execution may move again in the same transaction (a task admitted and claimed
     * at once), and each event must show the execution as that move left it.
     */
    public Change change(ExecutionLifecycle.Move move) {
        Execution execution = move.execution();
        return new Change(execution.id, payload(execution, move.from(), move.at()), move.at(),
                move.from() == null ? null : move.from().name(), move.to().name(), execution.traceparent);
    }

    /**
     * Records many status changes: their events as one outbox row, and each execution's history lines appended to its
     * row, one statement per execution. For the rarer moves (cancel, retry now, a refused task); the hot paths write the
     * history in the statement that changes the status and call {@link #publish}. Must run in a transaction.
     */
    public void write(List<Change> changes) {
        publish(changes);
        Map<UUID, String> lines = new LinkedHashMap<>();
        changes.forEach(change -> lines.merge(change.executionId(), change.historyLine(), String::concat));
        jdbc.batch("update {schema}.execution set history = coalesce(history, '') || ? where id = ?",
                List.copyOf(lines.entrySet()), (statement, entry) -> {
                    statement.setString(1, entry.getValue());
                    statement.setObject(2, entry.getKey());
                });
    }

    /**
     * Records the changes' events as one outbox row, for a caller whose own statement appended the history lines
     * ({@link Change#historyLine}). Must run in a transaction.
     */
    public void publish(List<Change> changes) {
        if (changes.isEmpty()) {
            return;
        }
        // A line per event, "<execution id> <event JSON>": serialised JSON has no raw line breaks, so nothing to escape.
        StringBuilder events = new StringBuilder();
        StringBuilder traceparents = new StringBuilder();
        boolean traced = false;
        for (Change change : changes) {
            events.append(change.executionId()).append(' ').append(change.payload()).append('\n');
            traced |= change.traceparent() != null;
            traceparents.append(change.traceparent() == null ? NO_CONTEXT : change.traceparent()).append('\n');
        }
        String contexts = traced ? traceparents.toString() : null;
        jdbc.batch("insert into {schema}.execution_event_outbox (events, created_at, traceparents) values (?, ?, ?)",
                List.of(events.toString()), (statement, bundle) -> {
                    statement.setString(1, bundle);
                    Jdbc.setInstant(statement, 2, changes.get(0).at());
                    statement.setString(3, contexts);
                });
    }

    private String payload(Execution execution, ExecutionStatus previous, Instant at) {
        ExecutionEvent event = new ExecutionEvent(ExecutionEvent.VERSION, execution.id.toString(), execution.orgId,
                execution.ruleId, execution.ruleRef, execution.triggerInstanceId, execution.triggerType,
                execution.status.name(), previous == null ? null : previous.name(),
                execution.attemptCount, execution.lastError, at, execution.depth);
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an execution event is always serialisable", e);
        }
    }

    /**
     * One status change's event, ready to be written; {@code from} is null when the execution was created;
     * {@code traceparent} the execution's intake context (null untraced), the parent of the event's publish span.
     */
    public record Change(UUID executionId, String payload, Instant at, String from, String to, String traceparent) {

        /** The change as a line of the execution's {@code history} column. */
        public String historyLine() {
            return ExecutionHistory.line(from, to, at);
        }
    }

    /** The oldest unpublished outbox rows, for the relay, with their events in order; must run in its transaction. */
    @SuppressWarnings("unchecked")
    public List<Pending> oldest(int limit) {
        List<Object[]> rows = entityManager.createNativeQuery("""
                        select id, cast(execution_id as text), cast(payload as text), events, traceparents
                        from {h-schema}execution_event_outbox order by id limit :limit""")
                .setParameter("limit", limit)
                .getResultList();
        return rows.stream().map(row -> new Pending(((Number) row[0]).longValue(), row[3] != null
                ? readBundle((String) row[3], (String) row[4])
                : List.of(new Event((String) row[1], (String) row[2], null)))).toList();
    }

    static List<Event> readBundle(String events, String traceparents) {
        List<String> lines = events.lines().filter(line -> !line.isEmpty()).toList();
        List<String> contexts = traceparents == null ? List.of() : traceparents.lines().toList();
        List<Event> read = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int space = line.indexOf(' ');
            String context = i < contexts.size() && !NO_CONTEXT.equals(contexts.get(i)) ? contexts.get(i) : null;
            read.add(new Event(line.substring(0, space), line.substring(space + 1), context));
        }
        return read;
    }

    /** The line for an event without a trace context. */
    private static final String NO_CONTEXT = "-";

    /** An outbox row and the events it holds (one for rows written one event at a time). */
    public record Pending(long id, List<Event> events) {
    }

    /**
     * An event to publish: keyed by its execution, so each execution's events stay in order; {@code traceparent} the
     * execution's intake context, null when it has none.
     */
    public record Event(String key, String payload, String traceparent) {
    }

    public void delete(List<Long> ids) {
        entityManager.createNativeQuery("delete from {h-schema}execution_event_outbox where id in (:ids)")
                .setParameter("ids", ids)
                .executeUpdate();
    }

    /**
     * One relay at a time across all replicas, so events leave in the order they were written. Transaction-scoped:
     * released by commit, rollback or a dead connection.
     */
    public boolean tryLockRelay() {
        Object locked = entityManager.createNativeQuery("select pg_try_advisory_xact_lock(:key)")
                .setParameter("key", RELAY_LOCK_KEY)
                .getSingleResult();
        return Boolean.TRUE.equals(locked);
    }

    /** An arbitrary constant naming the relay's advisory lock. */
    private static final long RELAY_LOCK_KEY = 0x486f6f6b666c6f77L;
}
