package io.hookflow.delivery.execution;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/** How execution rows read back from plain SQL become detached {@link Execution}s, for the stages that write them. */
public final class ExecutionRows {

    private ExecutionRows() {
    }

    /** The columns an {@link ExecutionEventOutbox} event carries, from the first ten of a result row. */
    public static Execution eventView(ResultSet row) throws SQLException {
        Execution execution = new Execution();
        execution.id = row.getObject(1, UUID.class);
        execution.orgId = row.getString(2);
        execution.ruleId = row.getString(3);
        execution.ruleRef = row.getString(4);
        execution.triggerInstanceId = row.getString(5);
        execution.triggerType = row.getString(6);
        execution.status = ExecutionStatus.valueOf(row.getString(7));
        execution.attemptCount = row.getInt(8);
        execution.lastError = row.getString(9);
        execution.depth = row.getInt(10);
        return execution;
    }
}
