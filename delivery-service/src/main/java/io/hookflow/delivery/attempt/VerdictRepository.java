package io.hookflow.delivery.attempt;

import io.hookflow.delivery.config.Jdbc;
import io.hookflow.delivery.execution.Execution;
import io.hookflow.delivery.execution.ExecutionEventOutbox;
import io.hookflow.delivery.execution.ExecutionRows;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The executions whose attempts are being recorded: locked for their verdicts, then the verdicts written. */
@ApplicationScoped
public class VerdictRepository {

    private final Jdbc jdbc;

    VerdictRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Locks executions whose attempts are being recorded, so an operator's cancel and a verdict cannot overwrite each
     * other: detached copies with what the verdict and its event need, by id; the request is not read.
     */
    public Map<UUID, Execution> lockForVerdict(List<UUID> ids) {
        return jdbc.work(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(jdbc.sql("""
                    select id, org_id, rule_id, rule_ref, trigger_instance_id, trigger_type, status, attempt_count,
                           last_error, depth, traceparent
                    from {schema}.execution where id = any (?) for update"""))) {
                statement.setArray(1, Jdbc.uuids(connection, ids));
                Map<UUID, Execution> rows = new HashMap<>();
                try (ResultSet result = statement.executeQuery()) {
                    while (result.next()) {
                        Execution execution = ExecutionRows.eventView(result);
                        execution.traceparent = result.getString(11);
                        rows.put(execution.id, execution);
                    }
                }
                return rows;
            }
        });
    }

    /**
     * Writes the verdicts {@code RecordAttempt} took on executions from {@link #lockForVerdict}, as one batch, each with
     * its change appended to the row's history; {@code changes} are the verdicts' changes, in the same order. The
     * caller publishes the changes' events.
     */
    public void saveVerdicts(List<Execution> decided, List<ExecutionEventOutbox.Change> changes) {
        if (decided.size() != changes.size()) {
            throw new IllegalArgumentException("a change for each verdict");
        }
        Map<UUID, String> lines = new HashMap<>();
        changes.forEach(change -> lines.merge(change.executionId(), change.historyLine(), String::concat));
        jdbc.batch("""
                update {schema}.execution
                set status = ?, last_error = ?, next_attempt_at = ?, finished_at = coalesce(?, finished_at),
                    lease_expires_at = null, updated_at = ?, history = coalesce(history, '') || ?
                where id = ?""", decided, (statement, execution) -> {
                    statement.setString(1, execution.status.name());
                    statement.setString(2, execution.lastError);
                    Jdbc.setInstant(statement, 3, execution.nextAttemptAt);
                    Jdbc.setInstant(statement, 4, execution.finishedAt);
                    Jdbc.setInstant(statement, 5, execution.updatedAt);
                    statement.setString(6, lines.get(execution.id));
                    statement.setObject(7, execution.id);
                });
    }
}
