package io.hookflow.cli.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookflow.cli.command.ApiCommand;
import io.hookflow.cli.command.CommandGroup;
import io.hookflow.cli.command.Since;
import io.hookflow.cli.config.Service;
import io.hookflow.cli.http.Body;
import io.hookflow.cli.http.Json;
import io.hookflow.cli.output.Cells;
import io.hookflow.cli.output.Details;
import io.hookflow.cli.output.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Bulk replays: {@code hookflow execution replay ...} starts one, {@code hookflow replay status|list|cancel} follows
 * and stops them (delivery-service's /api/v1/executions/replay).
 */
@Command(name = "replay", description = "Bulk replay jobs: progress and cancel (delivery-service).",
        subcommands = {ReplayCommand.Status.class, ReplayCommand.ListJobs.class, ReplayCommand.Cancel.class})
public final class ReplayCommand extends CommandGroup {

    static final String PATH = "/api/v1/executions/replay";

    @Command(name = "replay", description = "Send again, as new attempts, every finished execution that matches: one"
            + " job at a bounded rate; follow it with 'hookflow replay status ID'.",
            footer = {"", "Example:", "  hookflow execution replay --since 6h --destination ci.example.com:443 --rate 20"})
    public static final class Start extends ApiCommand {
        @Option(names = "--since", required = true, paramLabel = "AGE|TIME",
                description = "Creation time from (inclusive): an age (6h, 2d) or an ISO-8601 time.")
        String since;

        @Option(names = "--until", paramLabel = "AGE|TIME", description = "Creation time up to (exclusive); default now.")
        String until;

        @Option(names = "--status", split = ",", paramLabel = "STATUS",
                description = "FAILED (default), CANCELED, SUCCEEDED; comma-separated for several.")
        List<String> statuses;

        @Option(names = "--rule", paramLabel = "ID|REF", description = "Only this rule's executions.")
        String rule;

        @Option(names = "--destination", paramLabel = "HOST[:PORT]", description = "Only this destination.")
        String destination;

        @Option(names = "--rate", paramLabel = "N", description = "At most N re-queued a second (1-1000, default 50).")
        Integer rate;

        @Override
        protected void run() {
            printer().show(api().send(Service.DELIVERY, "POST", PATH, Body.json(Json.write(body(Instant.now())))),
                    job -> "Replay job " + job.path("id").asText() + " started; follow it with 'hookflow replay status "
                            + job.path("id").asText() + "'.\n");
        }

        ObjectNode body(Instant now) {
            ObjectNode body = Json.object().put("since", Since.parameter(since, now));
            if (until != null) {
                body.put("until", Since.parameter(until, now));
            }
            if (statuses != null && !statuses.isEmpty()) {
                var array = body.putArray("status");
                statuses.forEach(status -> array.add(status.trim()));
            }
            if (rule != null) {
                body.put("ruleId", rule);
            }
            if (destination != null) {
                body.put("destination", destination);
            }
            if (rate != null) {
                body.put("ratePerSecond", rate);
            }
            return body;
        }
    }

    @Command(name = "status", description = "A replay job's progress: matched and queued so far.")
    public static final class Status extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The job's id (rpl_...).")
        String id;

        @Override
        protected void run() {
            printer().show(api().get(Service.DELIVERY, PATH + "/" + segment(id)), job -> details(job).render());
        }
    }

    @Command(name = "list", description = "Your replay jobs, newest first.")
    public static final class ListJobs extends ApiCommand {
        @Override
        protected void run() {
            printer().show(api().get(Service.DELIVERY, PATH, Map.of()), ReplayCommand::table);
        }
    }

    @Command(name = "cancel", description = "Stop a running replay job; what it queued already is still delivered.")
    public static final class Cancel extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The job's id (rpl_...).")
        String id;

        @Override
        protected void run() {
            printer().show(api().send(Service.DELIVERY, "POST", PATH + "/" + segment(id) + "/cancel", Body.NONE),
                    job -> "Replay job " + job.path("id").asText() + " is " + job.path("status").asText() + " after "
                            + job.path("queued").asLong() + " queued.\n");
        }
    }

    static Details details(JsonNode job) {
        JsonNode filter = job.path("filter");
        return new Details()
                .field("id", Cells.text(job.path("id")))
                .field("status", Cells.text(job.path("status")))
                .field("matched", Cells.text(job.path("matched")))
                .field("queued", Cells.text(job.path("queued")))
                .field("statuses", statuses(filter))
                .field("rule", Cells.text(filter.path("ruleId")))
                .field("destination", Cells.text(filter.path("destination")))
                .field("since", Cells.time(filter.path("since")))
                .field("until", Cells.time(filter.path("until")))
                .field("rate", Cells.text(job.path("ratePerSecond")))
                .field("created", Cells.time(job.path("createdAt")))
                .field("finished", Cells.time(job.path("finishedAt")))
                .field("error", Cells.text(job.path("error")));
    }

    private static String statuses(JsonNode filter) {
        StringBuilder joined = new StringBuilder();
        filter.path("statuses").forEach(status -> joined.append(joined.isEmpty() ? "" : ",").append(status.asText()));
        return joined.toString();
    }

    static String table(JsonNode answer) {
        Table table = new Table("id", "status", "matched", "queued", "since", "until", "created");
        for (JsonNode job : answer.path("items")) {
            table.row(Cells.text(job.path("id")), Cells.text(job.path("status")), Cells.text(job.path("matched")),
                    Cells.text(job.path("queued")), Cells.time(job.path("filter").path("since")),
                    Cells.time(job.path("filter").path("until")), Cells.time(job.path("createdAt")));
        }
        return table.render();
    }
}
