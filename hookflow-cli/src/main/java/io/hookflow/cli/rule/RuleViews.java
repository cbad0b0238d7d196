package io.hookflow.cli.rule;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.cli.output.Cells;
import io.hookflow.cli.output.Details;
import io.hookflow.cli.output.Table;

/** Rules and tester results as people read them. */
final class RuleViews {

    private RuleViews() {
    }

    static String table(JsonNode rules) {
        Table table = new Table("ref", "enabled", "mode", "trigger", "parameters", "url", "description");
        for (JsonNode rule : rules) {
            table.row(Cells.text(rule.path("ref")), Cells.text(rule.path("enabled")), Cells.text(rule.path("mode")),
                    Cells.text(rule.path("trigger").path("type")), Cells.text(rule.path("trigger").path("parameters")),
                    Cells.text(rule.path("action").path("parameters").path("url")), Cells.text(rule.path("description")));
        }
        return table.render();
    }

    static String details(JsonNode rule) {
        return new Details()
                .field("ref", Cells.text(rule.path("ref")))
                .field("id", Cells.text(rule.path("id")))
                .field("description", Cells.text(rule.path("description")))
                .field("enabled", Cells.text(rule.path("enabled")))
                .field("mode", Cells.text(rule.path("mode")))
                // Ordered lanes: executions with the same rendered key are delivered in trigger-instance order.
                .field("ordering key", Cells.text(rule.path("ordering").path("key")))
                .field("trigger", Cells.text(rule.path("trigger").path("type")))
                .field("trigger parameters", Cells.text(rule.path("trigger").path("parameters")))
                .field("criteria", Cells.text(rule.path("criteria")))
                .field("action", Cells.text(rule.path("action").path("ref")))
                .field("action parameters", Cells.text(rule.path("action").path("parameters")))
                .field("createdAt", Cells.time(rule.path("createdAt")))
                .field("updatedAt", Cells.time(rule.path("updatedAt")))
                .render();
    }

    static String testResult(JsonNode result) {
        StringBuilder text = new StringBuilder(result.path("matched").asBoolean() ? "MATCHED" : "NOT MATCHED").append('\n');
        if (!result.path("criteria").isEmpty()) {
            Table criteria = new Table("criterion", "operator", "pattern", "value", "matched");
            for (JsonNode criterion : result.path("criteria")) {
                criteria.row(Cells.text(criterion.path("path")), Cells.text(criterion.path("type")),
                        Cells.text(criterion.path("pattern")), Cells.text(criterion.path("value")),
                        Cells.text(criterion.path("matched")));
            }
            text.append('\n').append(criteria.render());
        }
        JsonNode request = result.path("request");
        if (request.isObject()) {
            text.append("\nWould send:\n").append(new Details()
                    .field("request", Cells.text(request.path("method")) + " " + Cells.text(request.path("url")))
                    .field("headers", Cells.text(request.path("headers")))
                    .field("body", Cells.text(request.path("body")))
                    .render());
        }
        if (result.hasNonNull("error")) {
            text.append("\nError: ").append(Cells.text(result.path("error"))).append('\n');
        }
        return text.toString();
    }
}
