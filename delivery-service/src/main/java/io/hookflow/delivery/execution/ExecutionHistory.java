package io.hookflow.delivery.execution;

import io.hookflow.delivery.execution.ExecutionView.TransitionView;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An execution's status history as its row keeps it (V9__execution_history_column.sql): a line per change,
 * {@code "<from or -> <to> <microseconds since the epoch>"}, appended by the statement that makes the change.
 */
public final class ExecutionHistory {

    private static final String CREATED = "-";

    private ExecutionHistory() {
    }

    /** One change as a line; microseconds, as PostgreSQL keeps time. */
    static String line(String from, String to, Instant at) {
        return (from == null ? CREATED : from) + ' ' + to + ' ' + micros(at) + '\n';
    }

    /** The time field of a line, for SQL that appends a line itself. */
    public static String micros(Instant at) {
        return Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, at));
    }

    /** The changes a history column holds, in the order they were appended; none for null (a row from before V9). */
    static List<TransitionView> parse(String history) {
        List<TransitionView> changes = new ArrayList<>();
        if (history == null) {
            return changes;
        }
        history.lines().filter(line -> !line.isBlank()).forEach(line -> {
            String[] parts = line.split(" ");
            changes.add(new TransitionView(CREATED.equals(parts[0]) ? null : parts[0], parts[1],
                    Instant.EPOCH.plus(Long.parseLong(parts[2]), ChronoUnit.MICROS)));
        });
        return changes;
    }

    /**
     * The history from before V9 (execution_transition rows) followed by the column's, ordered by time; a stable sort
     * keeps the order of changes made at the same instant (an execution admitted and claimed at once).
     */
    static List<TransitionView> merged(List<TransitionView> fromTable, String column) {
        List<TransitionView> all = new ArrayList<>(fromTable);
        all.addAll(parse(column));
        all.sort(Comparator.comparing(TransitionView::at));
        return all;
    }
}
