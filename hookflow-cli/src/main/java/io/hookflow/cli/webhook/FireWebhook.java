package io.hookflow.cli.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.cli.command.ApiCommand;
import io.hookflow.cli.command.Inputs;
import io.hookflow.cli.config.Service;
import io.hookflow.cli.error.CliException;
import io.hookflow.cli.http.ApiResponse;
import io.hookflow.cli.http.Body;
import io.hookflow.cli.http.Json;
import io.hookflow.cli.output.Cells;
import java.net.URI;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "fire", description = {"Send a webhook, as a sender would; answers the trigger instance id.",
        "URL_OR_ID is a webhook id, st2, a url a rule registered (github/push), a path as 'webhook list' shows it,"
                + " or a full URL."},
        footer = {"", "Examples:",
                "  hookflow webhook fire st2 --data '{\"trigger\": \"mypack.mytrigger\", \"payload\": {\"a\": 1}}'",
                "  hookflow webhook fire 0b6e2c1e-7c39-4c33-9d61-0f3e7f5c2a10 --data @event.json",
                "  hookflow webhook fire github/push --data '{\"ref\": \"main\"}' -H 'X-GitHub-Event: push'"})
public final class FireWebhook extends ApiCommand {

    @Parameters(paramLabel = "URL_OR_ID", description = "Where to send it (see above).")
    String target;

    @Option(names = {"-d", "--data"}, paramLabel = "JSON|@FILE",
            description = "The body: JSON inline, @file, or @- for standard input (default {}).")
    String data = "{}";

    @Option(names = "--form", description = "Send the body as a form (application/x-www-form-urlencoded): a JSON object's"
            + " fields become form fields (objects as JSON text); any other text is sent as written.")
    boolean form;

    @Option(names = {"-H", "--header"}, paramLabel = "NAME:VALUE", description = "An extra header; repeatable.")
    List<String> headers = List.of();

    @Override
    protected void run() {
        String text = Inputs.text(data, "--data", session().environment().in());
        Body body = form ? Body.of(Body.FORM, formText(text)) : Body.json(Json.write(Json.parse(text, "--data")));
        String resolved = WebhookTarget.resolve(target);
        URI uri = WebhookTarget.isAbsolute(resolved) ? absolute(resolved) : api().uri(Service.INGEST, resolved);
        ApiResponse response = api().send(uri, "POST", body, Inputs.headers(headers), "the webhook");
        printer().show(response, FireWebhook::accepted);
    }

    private static String formText(String text) {
        String trimmed = text.trim();
        if (trimmed.startsWith("{")) {
            JsonNode json = Json.parse(trimmed, "--data");
            if (json.isObject()) {
                return FormBody.of(json);
            }
        }
        return trimmed;
    }

    private URI absolute(String url) {
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("not a valid URL: " + url);
        }
    }

    static String accepted(JsonNode answer) {
        return "Accepted: trigger instance " + Cells.text(answer.path("id")) + " (trigger " + Cells.text(answer.path("trigger"))
                + ", received " + Cells.time(answer.path("receivedAt")) + ")\n"
                + "Follow it: hookflow execution list --trigger-instance " + Cells.text(answer.path("id")) + "\n";
    }
}
