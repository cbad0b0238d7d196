package io.hookflow.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.cli.command.ApiCommand;
import io.hookflow.cli.command.CommandGroup;
import io.hookflow.cli.command.Inputs;
import io.hookflow.cli.command.Since;
import io.hookflow.cli.config.Service;
import io.hookflow.cli.http.Body;
import io.hookflow.cli.http.Json;
import io.hookflow.cli.output.Cells;
import io.hookflow.cli.output.Details;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "token", description = "Short-lived tokens (X-Auth-Token) that every service verifies on its own.",
        subcommands = {TokenCommand.Create.class, TokenCommand.Revoke.class})
public final class TokenCommand extends CommandGroup {

    static final String PATH = "/api/v1/auth/tokens";

    @Command(name = "create", description = "Issue a token for your organisation (default lifetime 24 h).")
    public static final class Create extends ApiCommand {
        @Option(names = "--ttl", paramLabel = "AGE", description = "Lifetime: 90s, 30m, 8h... (at most the service's"
                + " limit, 24 h by default).")
        String ttl;

        @Override
        protected void run() {
            printer().show(api().send(Service.INGEST, "POST", PATH, issueBody(ttl)), TokenCommand::details);
        }
    }

    @Command(name = "revoke", description = "Revoke a token before it expires: every service refuses it from then on.")
    public static final class Revoke extends ApiCommand {
        @Parameters(paramLabel = "TOKEN", description = "The token (eyJ…), or @- to read it from standard input.")
        String token;

        @Override
        protected void run() {
            String given = Inputs.text(token, "TOKEN", session().environment().in()).strip();
            api().send(Service.INGEST, "POST", PATH + "/revoke", Body.json(Json.write(Json.object().put("token", given))));
            printer().done("Token revoked.");
        }
    }

    /** The body that asks for a token: empty for the service's default lifetime, else {"ttl": seconds}. */
    static Body issueBody(String ttl) {
        return ttl == null ? Body.NONE
                : Body.json(Json.write(Json.object().put("ttl", Since.age(ttl, "--ttl").toSeconds())));
    }

    static String details(JsonNode token) {
        return new Details()
                .field("token", Cells.text(token.path("token")))
                .field("expiry", Cells.time(token.path("expiry")))
                .field("orgId", Cells.text(token.path("orgId")))
                .render();
    }
}
