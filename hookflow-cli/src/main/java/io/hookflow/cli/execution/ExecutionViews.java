package io.hookflow.cli.execution;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.cli.command.Paging;
import io.hookflow.cli.output.Cells;
import io.hookflow.cli.output.Details;
import io.hookflow.cli.output.Table;
import java.util.Iterator;
import java.util.Map;

/** Executions, their attempts and history, and the stats, as people read them. */
final class ExecutionViews {

    private ExecutionViews() {
    }

    static Table table() {
        return new Table("id", "status", "rule", "destination", "attempts", "created", "last error");
    }

    static void row(Table table, JsonNode execution) {
        table.row(Cells.text(execution.path("id")), Cells.text(execution.path("status")),
                Cells.text(execution.path("ruleRef")), Cells.text(execution.path("destinationHost")),
                Cells.text(execution.path("attemptCount")), Cells.time(execution.path("createdAt")),
                Cells.text(execution.path("lastError")));
    }

    static String page(JsonNode page) {
        Table table = table();
        page.path("items").forEach(execution -> row(table, execution));
        return table.render() + Paging.more(page);
    }

    static String details(JsonNode execution) {
        JsonNode request = execution.path("request");
        StringBuilder text = new StringBuilder(new Details()
                .field("id", Cells.text(execution.path("id")))
                .field("status", Cells.text(execution.path("status")))
                .field("rule", Cells.text(execution.path("ruleRef")))
                .field("trigger", Cells.text(execution.path("trigger")))
                .field("trigger instance", Cells.text(execution.path("triggerInstanceId")))
                // An ordered execution waits for the earlier ones of its lane: which lane, and its place in it.
                .field("lane", lane(execution.path("lane")))
                .field("request", Cells.text(request.path("method")) + " " + Cells.text(request.path("url")))
                .field("attempts", Cells.text(execution.path("attemptCount")))
                .field("next attempt", Cells.time(execution.path("nextAttemptAt")))
                .field("last error", Cells.text(execution.path("lastError")))
                .field("created", Cells.time(execution.path("createdAt")))
                .field("finished", Cells.time(execution.path("finishedAt")))
                .render());
        if (!execution.path("transitions").isEmpty()) {
            Table history = new Table("from", "to", "at");
            execution.path("transitions").forEach(change -> history.row(Cells.text(change.path("from")),
                    Cells.text(change.path("to")), Cells.time(change.path("at"))));
            text.append("\nStatus history:\n").append(history.render());
        }
        if (!execution.path("attempts").isEmpty()) {
            Table attempts = new Table("#", "started", "duration", "outcome", "status", "error");
            execution.path("attempts").forEach(attempt -> attempts.row(Cells.text(attempt.path("number")),
                    Cells.time(attempt.path("startedAt")), Cells.text(attempt.path("durationMs")) + " ms",
                    Cells.text(attempt.path("outcome")), Cells.text(attempt.path("responseStatus")),
                    Cells.text(attempt.path("error"))));
            text.append("\nAttempts:\n").append(attempts.render());
        }
        return text.toString();
    }

    static String stats(JsonNode stats) {
        JsonNode attempts = stats.path("attempts");
        StringBuilder text = new StringBuilder(new Details()
                .field("window", Cells.time(stats.path("since")) + " .. " + Cells.time(stats.path("until")))
                .field("executions", Cells.text(stats.path("total")))
                .field("success rate", rate(stats.path("successRate")))
                .field("attempts", Cells.text(attempts.path("count")))
                .field("latency p50/p95/p99", millis(attempts.path("p50Ms")) + " / " + millis(attempts.path("p95Ms"))
                        + " / " + millis(attempts.path("p99Ms")))
                .render());
        Table byStatus = new Table("status", "executions");
        for (Iterator<Map.Entry<String, JsonNode>> it = stats.path("byStatus").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            byStatus.row(entry.getKey(), Cells.text(entry.getValue()));
        }
        return text.append('\n').append(byStatus.render()).toString();
    }

    private static String lane(JsonNode lane) {
        return lane.isObject() ? Cells.text(lane.path("id")) + " #" + Cells.text(lane.path("seq")) : "unordered";
    }

    private static String rate(JsonNode rate) {
        return rate.isNumber() ? String.format(java.util.Locale.ROOT, "%.1f %%", rate.asDouble() * 100) : Cells.ABSENT;
    }

    private static String millis(JsonNode value) {
        return value.isNumber() ? String.format(java.util.Locale.ROOT, "%.0f ms", value.asDouble()) : Cells.ABSENT;
    }
}
