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

@Command(name = "enforcement", description = "Each (trigger instance, matching rule): the execution it produced, or why"
        + " it failed.",
        subcommands = {EnforcementCommand.ListEnforcements.class, EnforcementCommand.Get.class})
public final class EnforcementCommand extends CommandGroup {

    static final String PATH = "/api/v1/ruleenforcements";

    @Command(name = "list", description = "Rule enforcements, newest first.")
    public static final class ListEnforcements extends ApiCommand {
        @Option(names = "--rule", paramLabel = "REF", description = "Only this rule's (ref or id).")
        String rule;

        @Option(names = "--trigger-instance", paramLabel = "ID", description = "Only this trigger instance's.")
        String triggerInstance;

        @Mixin
        Paging paging;

        @Override
        protected void run() {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("rule", rule);
            query.put("triggerInstance", triggerInstance);
            printer().show(api().get(Service.RULES, PATH, paging.addTo(query)), EnforcementCommand::page);
        }
    }

    @Command(name = "get", description = "One rule enforcement.")
    public static final class Get extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The enforcement's id.")
        String id;

        @Override
        protected void run() {
            printer().show(api().get(Service.RULES, PATH + "/" + segment(id)), EnforcementCommand::details);
        }
    }

    static String page(JsonNode page) {
        Table table = new Table("id", "rule", "status", "trigger instance", "execution", "created", "failure");
        for (JsonNode enforcement : page.path("items")) {
            table.row(Cells.text(enforcement.path("id")), Cells.text(enforcement.path("ruleRef")),
                    Cells.text(enforcement.path("status")), Cells.text(enforcement.path("triggerInstanceId")),
                    Cells.text(enforcement.path("executionId")), Cells.time(enforcement.path("createdAt")),
                    Cells.text(enforcement.path("failureReason")));
        }
        return table.render() + Paging.more(page);
    }

    static String details(JsonNode enforcement) {
        Details details = new Details()
                .field("id", Cells.text(enforcement.path("id")))
                .field("rule", Cells.text(enforcement.path("ruleRef")))
                .field("rule id", Cells.text(enforcement.path("ruleId")))
                .field("status", Cells.text(enforcement.path("status")))
                .field("trigger instance", Cells.text(enforcement.path("triggerInstanceId")))
                .field("execution", Cells.text(enforcement.path("executionId")))
                .field("failure", Cells.text(enforcement.path("failureReason")))
                .field("created", Cells.time(enforcement.path("createdAt")));
        if (enforcement.hasNonNull("request")) {
            // A shadow rule's enforcement: the request it would have sent, secrets masked.
            details.field("would send", Cells.text(enforcement.path("request")));
        }
        return details.render();
    }
}
