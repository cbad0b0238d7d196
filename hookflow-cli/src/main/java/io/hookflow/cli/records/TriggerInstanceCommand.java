package io.hookflow.cli.records;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.cli.command.ApiCommand;
import io.hookflow.cli.command.CommandGroup;
import io.hookflow.cli.command.Paging;
import io.hookflow.cli.config.Service;
import io.hookflow.cli.output.Cells;
import io.hookflow.cli.output.Details;
import io.hookflow.cli.output.Table;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "triggerinstance", description = "What came in: every trigger event rules-service recorded, and what"
        + " became of it.",
        subcommands = {TriggerInstanceCommand.ListInstances.class, TriggerInstanceCommand.Get.class})
public final class TriggerInstanceCommand extends CommandGroup {

    static final String PATH = "/api/v1/triggerinstances";

    @Command(name = "list", description = "Trigger instances, newest first.")
    public static final class ListInstances extends ApiCommand {
        @Option(names = "--trigger", paramLabel = "TYPE", description = "Only this trigger type.")
        String trigger;

        @Option(names = "--status", description = "processed, no_rule_matched, failed or dropped.")
        String status;

        @Mixin
        Paging paging;

        @Override
        protected void run() {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("trigger", trigger);
            query.put("status", status);
            printer().show(api().get(Service.RULES, PATH, paging.addTo(query)), TriggerInstanceCommand::page);
        }
    }

    @Command(name = "get", description = "One trigger instance, with its payload.")
    public static final class Get extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The id ingest-service answered when it accepted the webhook.")
        String id;

        @Override
        protected void run() {
            printer().show(api().get(Service.RULES, PATH + "/" + segment(id)), TriggerInstanceCommand::details);
        }
    }

    static String page(JsonNode page) {
        Table table = new Table("id", "trigger", "status", "received", "source", "reason");
        for (JsonNode instance : page.path("items")) {
            table.row(Cells.text(instance.path("id")), Cells.text(instance.path("trigger")),
                    Cells.text(instance.path("status")), Cells.time(instance.path("receivedAt")),
                    Cells.text(instance.path("source")), Cells.text(instance.path("reason")));
        }
        return table.render() + Paging.more(page);
    }

    static String details(JsonNode instance) {
        return new Details()
                .field("id", Cells.text(instance.path("id")))
                .field("trigger", Cells.text(instance.path("trigger")))
                .field("parameters", Cells.text(instance.path("parameters")))
                .field("status", Cells.text(instance.path("status")))
                .field("reason", Cells.text(instance.path("reason")))
                .field("source", Cells.text(instance.path("source")))
                .field("received", Cells.time(instance.path("receivedAt")))
                .field("recorded", Cells.time(instance.path("recordedAt")))
                .field("depth", Cells.text(instance.path("depth")))
                .field("payload", Cells.text(instance.path("payload")))
                .render();
    }
}
