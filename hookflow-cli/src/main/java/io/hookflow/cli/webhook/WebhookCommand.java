package io.hookflow.cli.webhook;

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

@Command(name = "webhook", description = "Inbound webhooks: the st2 webhook, the urls rules register and webhooks by id"
        + " (ingest-service).",
        subcommands = {WebhookCommand.ListWebhooks.class, WebhookCommand.Create.class, WebhookCommand.Get.class,
                WebhookCommand.Delete.class, FireWebhook.class})
public final class WebhookCommand extends CommandGroup {

    static final String PATH = "/api/v1/webhooks";

    @Command(name = "list", description = "Every webhook of your organisation: st2, rule-registered urls, webhooks by id.")
    public static final class ListWebhooks extends ApiCommand {
        @Override
        protected void run() {
            printer().show(api().get(Service.INGEST, PATH), WebhookCommand::table);
        }
    }

    @Command(name = "create", description = "Create a webhook by id; fire it with: hookflow webhook fire ID --data ...")
    public static final class Create extends ApiCommand {
        @Option(names = "--name", description = "A name for people.")
        String name;

        @Option(names = "--description", description = "What it is for.")
        String description;

        @Option(names = "--secret", description = "Signing secret (8+ characters; whsec_<base64> for Standard Webhooks):"
                + " senders may then sign instead of sending a key. Write-only.")
        String secret;

        @Override
        protected void run() {
            ObjectNode body = Json.object();
            putIfGiven(body, "name", name);
            putIfGiven(body, "description", description);
            putIfGiven(body, "secret", secret);
            printer().show(api().send(Service.INGEST, "POST", PATH, body.isEmpty() ? Body.NONE : Body.json(Json.write(body))),
                    webhook -> details(webhook) + "\nFire it: hookflow webhook fire " + webhook.path("id").asText()
                            + " --data '{\"hello\": \"world\"}'\n");
        }
    }

    @Command(name = "get", description = "One webhook by id (its secret masked).")
    public static final class Get extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The webhook's id.")
        String id;

        @Override
        protected void run() {
            printer().show(api().get(Service.INGEST, PATH + "/" + segment(id)), WebhookCommand::details);
        }
    }

    @Command(name = "delete", description = "Delete a webhook by id.")
    public static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The webhook's id.")
        String id;

        @Override
        protected void run() {
            api().send(Service.INGEST, "DELETE", PATH + "/" + segment(id), Body.NONE);
            printer().done("Deleted webhook " + id + ".");
        }
    }

    static String table(JsonNode webhooks) {
        // Wide enough for a trigger-webhooks url whole: it is what "webhook fire" takes.
        Table table = new Table(80, "kind", "id", "name", "url", "trigger", "rules");
        for (JsonNode webhook : webhooks) {
            table.row(Cells.text(webhook.path("kind")), Cells.text(webhook.path("id")), Cells.text(webhook.path("name")),
                    Cells.text(webhook.path("url")), Cells.text(webhook.path("trigger")), Cells.text(webhook.path("rules")));
        }
        return table.render();
    }

    static String details(JsonNode webhook) {
        Details details = new Details();
        for (String field : new String[] {"id", "name", "description", "trigger", "url", "secret", "orgId"}) {
            details.field(field, Cells.text(webhook.path(field)));
        }
        for (String field : new String[] {"createdOn", "updatedOn"}) {
            details.field(field, Cells.time(webhook.path(field)));
        }
        return details.render();
    }

    private static void putIfGiven(ObjectNode body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }
}
