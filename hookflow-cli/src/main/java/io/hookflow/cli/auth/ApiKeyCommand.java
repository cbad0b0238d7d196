package io.hookflow.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookflow.cli.command.ApiCommand;
import io.hookflow.cli.command.CommandGroup;
import io.hookflow.cli.config.Service;
import io.hookflow.cli.http.Body;
import io.hookflow.cli.http.Json;
import io.hookflow.cli.output.Cells;
import io.hookflow.cli.output.Details;
import io.hookflow.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "apikey", description = "API keys: every service accepts them (ingest-service keeps them).",
        subcommands = {ApiKeyCommand.Create.class, ApiKeyCommand.ListKeys.class, ApiKeyCommand.Enable.class,
                ApiKeyCommand.Disable.class, ApiKeyCommand.Delete.class})
public final class ApiKeyCommand extends CommandGroup {

    static final String PATH = "/api/v1/apikeys";

    @Command(name = "create", description = "Create an API key. The key is shown in this answer only: keep it.")
    public static final class Create extends ApiCommand {
        @Option(names = "--name", description = "A name for people.")
        String name;

        @Option(names = "--org", paramLabel = "ORG_ID", description = "Another organisation (bootstrap key only): how a"
                + " tenant is created.")
        String orgId;

        @Override
        protected void run() {
            ObjectNode body = Json.object();
            if (name != null) {
                body.put("name", name);
            }
            if (orgId != null) {
                body.put("orgId", orgId);
            }
            printer().show(api().send(Service.INGEST, "POST", PATH, body.isEmpty() ? Body.NONE : Body.json(Json.write(body))),
                    key -> details(key) + "\nThe key is shown this once; it cannot be read again.\n");
        }
    }

    @Command(name = "list", description = "Your organisation's API keys, masked.")
    public static final class ListKeys extends ApiCommand {
        @Override
        protected void run() {
            printer().show(api().get(Service.INGEST, PATH), ApiKeyCommand::table);
        }
    }

    @Command(name = "enable", description = "Enable an API key again.")
    public static final class Enable extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The key's id (not the key).")
        String id;

        @Override
        protected void run() {
            setEnabled(this, id, true);
        }
    }

    @Command(name = "disable", description = "Disable an API key: every service refuses it (and the tokens it issued)"
            + " within a second.")
    public static final class Disable extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The key's id (not the key).")
        String id;

        @Override
        protected void run() {
            setEnabled(this, id, false);
        }
    }

    @Command(name = "delete", description = "Delete an API key.")
    public static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The key's id (not the key).")
        String id;

        @Override
        protected void run() {
            api().send(Service.INGEST, "DELETE", PATH + "/" + segment(id), Body.NONE);
            printer().done("Deleted API key " + id + ".");
        }
    }

    private static void setEnabled(ApiCommand command, String id, boolean enabled) {
        command.printer().show(command.api().send(Service.INGEST, "PUT", PATH + "/" + ApiCommand.segment(id),
                        Body.json("{\"enabled\": " + enabled + "}")),
                key -> "API key " + key.path("id").asText() + " (" + key.path("masked").asText() + ") "
                        + (key.path("enabled").asBoolean() ? "enabled" : "disabled") + ".\n");
    }

    static String table(JsonNode keys) {
        Table table = new Table("id", "name", "key", "enabled", "created", "created by");
        for (JsonNode key : keys) {
            table.row(Cells.text(key.path("id")), Cells.text(key.path("name")), Cells.text(key.path("masked")),
                    Cells.text(key.path("enabled")), Cells.time(key.path("createdOn")), Cells.text(key.path("createdById")));
        }
        return table.render();
    }

    static String details(JsonNode key) {
        return new Details()
                .field("id", Cells.text(key.path("id")))
                .field("key", Cells.text(key.path("key")))
                .field("name", Cells.text(key.path("name")))
                .field("orgId", Cells.text(key.path("orgId")))
                .field("enabled", Cells.text(key.path("enabled")))
                .field("created", Cells.time(key.path("createdOn")))
                .render();
    }
}
