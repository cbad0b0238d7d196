package io.hookflow.cli.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.cli.command.ApiCommand;
import io.hookflow.cli.command.CommandGroup;
import io.hookflow.cli.config.Service;
import io.hookflow.cli.http.Body;
import io.hookflow.cli.output.Cells;
import io.hookflow.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "destination", description = "Where your deliveries go, and their circuit breakers (delivery-service).",
        subcommands = {DestinationCommand.ListDestinations.class, DestinationCommand.Enable.class,
                RateLimitCommand.class})
public final class DestinationCommand extends CommandGroup {

    @Command(name = "list", description = "Every destination (host:port) your deliveries reached or tried, open circuits"
            + " first.")
    public static final class ListDestinations extends ApiCommand {
        @Override
        protected void run() {
            printer().show(api().get(Service.DELIVERY, "/api/v1/destinations"), DestinationCommand::table);
        }
    }

    @Command(name = "enable", description = "Enable a DISABLED destination (every attempt failed for days): its"
            + " circuit closes and what it parked is sent now.")
    public static final class Enable extends ApiCommand {
        @Parameters(paramLabel = "HOST:PORT", description = "The destination as 'destination list' shows it.")
        String destination;

        @Override
        protected void run() {
            printer().show(api().send(Service.DELIVERY, "POST", "/api/v1/destinations/" + segment(destination)
                    + "/enable", Body.NONE), answer -> "Destination " + answer.path("destination").path("destination")
                    .asText() + " is " + answer.path("destination").path("state").asText() + "; "
                    + answer.path("released").asInt() + " parked executions are due now.\n");
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
