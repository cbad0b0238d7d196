package io.hookflow.cli.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookflow.cli.command.ApiCommand;
import io.hookflow.cli.command.CommandGroup;
import io.hookflow.cli.config.Service;
import io.hookflow.cli.http.Body;
import io.hookflow.cli.http.Json;
import io.hookflow.cli.output.Cells;
import io.hookflow.cli.output.Details;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rate-limit", description = "A destination's requests per second, across all replicas, and what 429s"
        + " did to it (delivery-service).",
        subcommands = {RateLimitCommand.Show.class, RateLimitCommand.Set.class, RateLimitCommand.Remove.class})
public final class RateLimitCommand extends CommandGroup {

    private static String path(String destination) {
        return "/api/v1/destinations/" + ApiCommand.segment(destination) + "/rate-limit";
    }

    @Command(name = "show", description = "The limit as set, the rate in force now (lower after 429s) and any pause.")
    public static final class Show extends ApiCommand {
        @Parameters(paramLabel = "HOST:PORT", description = "The destination as 'destination list' shows it.")
        String destination;

        @Override
        protected void run() {
            printer().show(api().get(Service.DELIVERY, path(destination)), RateLimitCommand::details);
        }
    }

    @Command(name = "set", description = "Limit the requests per second to a destination, from all replicas together.")
    public static final class Set extends ApiCommand {
        @Parameters(paramLabel = "HOST:PORT", description = "The destination as 'destination list' shows it.")
        String destination;

        @Option(names = "--per-second", required = true, paramLabel = "N",
                description = "Requests per second, 0.01 to 10000 (decimals allowed: 0.5 is one every 2 s).")
        double perSecond;

        @Option(names = "--burst", paramLabel = "N",
                description = "Requests that may go at once after a quiet spell, 1 to 10000 (default: one second's worth).")
        Integer burst;

        @Override
        protected void run() {
            printer().show(api().send(Service.DELIVERY, "PUT", path(destination), Body.json(Json.write(body()))),
                    RateLimitCommand::details);
        }

        /** The burst left out when not given: the service then allows one second's worth. */
        ObjectNode body() {
            ObjectNode body = Json.object().put("perSecond", perSecond);
            if (burst != null) {
                body.put("burst", burst);
            }
            return body;
        }
    }

    @Command(name = "remove", description = "Remove a destination's limit and any slow-down or pause 429s put on it.")
    public static final class Remove extends ApiCommand {
        @Parameters(paramLabel = "HOST:PORT", description = "The destination as 'destination list' shows it.")
        String destination;

        @Override
        protected void run() {
            api().send(Service.DELIVERY, "DELETE", path(destination), Body.NONE);
            printer().done("Rate limit of " + destination + " removed.");
        }
    }

    static String details(JsonNode limit) {
        return new Details()
                .field("destination", Cells.text(limit.path("destination")))
                .field("per second", limit.path("perSecond").isNull() || limit.path("perSecond").isMissingNode()
                        ? "- (none set; slowed by a 429)" : Cells.text(limit.path("perSecond")))
                .field("burst", Cells.text(limit.path("burst")))
                .field("current", Cells.text(limit.path("currentPerSecond")) + " per second")
                .field("throttled", Cells.time(limit.path("throttledAt")))
                .field("paused until", Cells.time(limit.path("pausedUntil")))
                .field("tokens", String.format(java.util.Locale.ROOT, "%.1f", limit.path("tokens").asDouble()))
                .render();
    }
}
