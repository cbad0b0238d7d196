package io.hookflow.cli.execution;

import io.hookflow.cli.command.ApiCommand;
import io.hookflow.cli.command.CommandGroup;
import io.hookflow.cli.command.Paging;
import io.hookflow.cli.command.Since;
import io.hookflow.cli.config.Service;
import io.hookflow.cli.http.Body;
import java.time.Instant;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "execution", description = "Outbound requests the rules caused: status, attempts, retries"
        + " (delivery-service).",
        subcommands = {ExecutionCommand.ListExecutions.class, ExecutionCommand.Get.class, ExecutionCommand.Retry.class,
                ExecutionCommand.Cancel.class, ExecutionCommand.Stats.class, WatchExecutions.class,
                ReplayCommand.Start.class})
public final class ExecutionCommand extends CommandGroup {

    static final String PATH = "/api/v1/executions";

    @Command(name = "list", description = "Executions, newest first.",
            footer = {"", "Example:", "  hookflow execution list --status FAILED --destination ci.example.com --since 1h"})
    public static final class ListExecutions extends ApiCommand {
        @Mixin
        ExecutionFilters filters;

        @Mixin
        Paging paging;

        @Override
        protected void run() {
            printer().show(api().get(Service.DELIVERY, PATH, paging.addTo(filters.query())), ExecutionViews::page);
        }
    }

    @Command(name = "get", description = "One execution with its status history and every attempt.")
    public static final class Get extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The execution's id.")
        String id;

        @Override
        protected void run() {
            printer().show(api().get(Service.DELIVERY, PATH + "/" + segment(id)), ExecutionViews::details);
        }
    }

    @Command(name = "retry", description = "Re-run a FAILED or CANCELED execution now (one more attempt).")
    public static final class Retry extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The execution's id.")
        String id;

        @Override
        protected void run() {
            printer().show(api().send(Service.DELIVERY, "POST", PATH + "/" + segment(id) + "/retry", Body.NONE),
                    execution -> "Execution " + execution.path("id").asText() + " is " + execution.path("status").asText()
                            + ": its next attempt is due now.\n");
        }
    }

    @Command(name = "cancel", description = "Cancel a PENDING, RETRYING or RUNNING execution.")
    public static final class Cancel extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The execution's id.")
        String id;

        @Override
        protected void run() {
            printer().show(api().send(Service.DELIVERY, "POST", PATH + "/" + segment(id) + "/cancel", Body.NONE),
                    execution -> "Execution " + execution.path("id").asText() + " is "
                            + execution.path("status").asText() + ".\n");
        }
    }

    @Command(name = "stats", description = "Counts by status, success rate and attempt latency over a window (default:"
            + " the last 24 hours).")
    public static final class Stats extends ApiCommand {
        @Option(names = "--since", paramLabel = "AGE|TIME", description = "Window start: an age (1h, 7d) or an ISO-8601 time.")
        String since;

        @Override
        protected void run() {
            printer().show(api().get(Service.DELIVERY, PATH + "/stats", Map.of("since",
                    since == null ? "" : Since.parameter(since, Instant.now()))), ExecutionViews::stats);
        }
    }
}
