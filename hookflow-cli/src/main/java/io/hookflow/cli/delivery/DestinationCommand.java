package io.hookflow.cli.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.cli.command.ApiCommand;
import io.hookflow.cli.command.CommandGroup;
import io.hookflow.cli.config.Service;
import io.hookflow.cli.output.Cells;
import io.hookflow.cli.output.Table;
import picocli.CommandLine.Command;

@Command(name = "destination", description = "Where your deliveries go, and their circuit breakers (delivery-service).",
        subcommands = DestinationCommand.ListDestinations.class)
public final class DestinationCommand extends CommandGroup {

    @Command(name = "list", description = "Every destination (host:port) your deliveries reached or tried, open circuits"
            + " first.")
    public static final class ListDestinations extends ApiCommand {
        @Override
        protected void run() {
            printer().show(api().get(Service.DELIVERY, "/api/v1/destinations"), DestinationCommand::table);
        }
    }

    static String table(JsonNode answer) {
        Table table = new Table("destination", "state", "failures", "opened", "next probe", "last error");
        for (JsonNode circuit : answer.path("items")) {
            table.row(Cells.text(circuit.path("destination")), Cells.text(circuit.path("state")),
                    Cells.text(circuit.path("consecutiveFailures")), Cells.time(circuit.path("openedAt")),
                    Cells.time(circuit.path("nextProbeAt")), Cells.text(circuit.path("lastError")));
        }
        return table.render();
    }
}
