package io.hookflow.cli.delivery;

import com.fasterxml.jackson.databind.JsonNode;
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

@Command(name = "signing-key",
        description = "Your organisation's keys for signing deliveries, and their rotation (delivery-service).",
        subcommands = {SigningKeyCommand.ListKeys.class, SigningKeyCommand.Create.class, SigningKeyCommand.Rotate.class,
                SigningKeyCommand.Retire.class})
public final class SigningKeyCommand extends CommandGroup {

    static final String PATH = "/api/v1/signing-keys";

    @Command(name = "list", description = "Every key, newest first: active, retiring (signs until it expires) or retired.")
    public static final class ListKeys extends ApiCommand {
        @Override
        protected void run() {
            printer().show(api().get(Service.DELIVERY, PATH), SigningKeyCommand::table);
        }
    }

    @Command(name = "create", description = "Create a key that signs at once. An hmac-sha256 key's whsec_ secret is"
            + " shown in this answer only; an ed25519 key's private part is never shown.")
    public static final class Create extends ApiCommand {
        @Option(names = "--algorithm", paramLabel = "ALG", defaultValue = "ed25519",
                description = "ed25519 (v1a, verified with the public key; the default) or hmac-sha256 (v1).")
        String algorithm;

        @Override
        protected void run() {
            printer().show(api().send(Service.DELIVERY, "POST", PATH,
                    Body.json(Json.write(Json.object().put("algorithm", algorithm)))),
                    SigningKeyCommand::created);
        }
    }

    @Command(name = "rotate", description = "Replace a key by a new one of the same algorithm: the new one signs at"
            + " once, the old one beside it for the overlap (default 24 h), then retires.")
    public static final class Rotate extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The key to replace (sk_...).")
        String id;

        @Option(names = "--overlap", paramLabel = "SECONDS", description = "How long the old key keeps signing.")
        Long overlapSeconds;

        @Override
        protected void run() {
            printer().show(api().send(Service.DELIVERY, "POST", PATH + "/" + segment(id) + "/rotate"
                    + overlap(overlapSeconds), Body.NONE), SigningKeyCommand::created);
        }
    }

    @Command(name = "retire", description = "Stop a key signing after the overlap (default 24 h; --overlap 0 at once,"
            + " for a key that leaked).")
    public static final class Retire extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "The key (sk_...).")
        String id;

        @Option(names = "--overlap", paramLabel = "SECONDS", description = "How long the key keeps signing.")
        Long overlapSeconds;

        @Override
        protected void run() {
            printer().show(api().send(Service.DELIVERY, "POST", PATH + "/" + segment(id) + "/retire"
                    + overlap(overlapSeconds), Body.NONE), key -> details(key).render());
        }
    }

    private static String overlap(Long seconds) {
        return seconds == null ? "" : "?overlapSeconds=" + seconds;
    }

    static String created(JsonNode key) {
        String shown = details(key).render();
        return key.hasNonNull("secret") ? shown + "\nThe secret is shown this once; it cannot be read again.\n" : shown;
    }

    static Details details(JsonNode key) {
        Details details = new Details()
                .field("id", Cells.text(key.path("id")))
                .field("algorithm", Cells.text(key.path("algorithm")))
                .field("status", Cells.text(key.path("status")))
                .field("publicKey", Cells.text(key.path("publicKey")))
                .field("created", Cells.time(key.path("createdAt")))
                .field("expires", Cells.time(key.path("expiresAt")));
        if (key.hasNonNull("secret")) {
            details.field("secret", Cells.text(key.path("secret")));
        }
        return details;
    }

    static String table(JsonNode answer) {
        Table table = new Table("id", "algorithm", "status", "created", "expires", "public key");
        for (JsonNode key : answer.path("items")) {
            table.row(Cells.text(key.path("id")), Cells.text(key.path("algorithm")), Cells.text(key.path("status")),
                    Cells.time(key.path("createdAt")), Cells.time(key.path("expiresAt")), Cells.text(key.path("publicKey")));
        }
        return table.render();
    }
}
