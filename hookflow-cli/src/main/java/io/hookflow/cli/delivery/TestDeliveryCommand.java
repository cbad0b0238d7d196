package io.hookflow.cli.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookflow.cli.command.ApiCommand;
import io.hookflow.cli.command.Inputs;
import io.hookflow.cli.config.Service;
import io.hookflow.cli.http.Body;
import io.hookflow.cli.http.Json;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "test-delivery", description = {"Send one request through delivery-service, as a delivery would"
        + " (whitelists, SSRF guard, signing, timeouts), and show the answer; nothing is recorded."},
        footer = {"", "Example:",
                "  hookflow test-delivery --url https://hooks.example.com/ci --method POST --data '{\"ok\": true}'"
                        + " -H 'Content-Type: application/json'"})
public final class TestDeliveryCommand extends ApiCommand {

    @Option(names = "--url", required = true, description = "Where to send it.")
    String url;

    @Option(names = {"-X", "--method"}, description = "HTTP method (default POST).")
    String method = "POST";

    @Option(names = {"-d", "--data"}, paramLabel = "TEXT|@FILE", description = "The body, sent as written; @file or @- reads it.")
    String data;

    @Option(names = {"-H", "--header"}, paramLabel = "NAME:VALUE", description = "A header; repeatable.")
    List<String> headers = List.of();

    @Option(names = "--secret", description = "Sign the request with this secret (X-Hookflow-Signature, Standard Webhooks).")
    String secret;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Read timeout, 1..3600 s.")
    Integer timeoutSeconds;

    @Override
    protected void run() {
        ObjectNode request = Json.object().put("method", method).put("url", url);
        if (!headers.isEmpty()) {
            ObjectNode given = request.putObject("headers");
            Inputs.headers(headers).forEach(given::put);
        }
        if (data != null) {
            request.put("body", Inputs.text(data, "--data", session().environment().in()));
        }
        if (secret != null) {
            request.put("secret", secret);
        }
        if (timeoutSeconds != null) {
            request.put("timeoutSeconds", timeoutSeconds);
        }
        printer().show(api().send(Service.DELIVERY, "POST", "/api/v1/test-deliveries", Body.json(Json.write(request))),
                DeliveryResult::render);
    }
}
