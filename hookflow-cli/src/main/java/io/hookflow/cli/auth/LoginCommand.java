package io.hookflow.cli.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.cli.command.ApiCommand;
import io.hookflow.cli.config.ConfigFile;
import io.hookflow.cli.config.Environment;
import io.hookflow.cli.config.Service;
import io.hookflow.cli.config.Settings;
import io.hookflow.cli.error.CliException;
import io.hookflow.cli.http.ApiClient;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Checks a credential against ingest-service and writes it, with any URL flags given, to the config file (mode 600),
 * so later commands need neither flags nor variables.
 */
@Command(name = "login", description = {"Check an API key (or token) and save it, with the URLs given as flags, in the"
        + " config file ($XDG_CONFIG_HOME/hookflow/config or ~/.config/hookflow/config, mode 600).",
        "Without --api-key or --token it asks for the key (or reads it from standard input)."},
        footer = {"", "Examples:", "  hookflow login --base-url https://hookflow.example.com",
                "  echo \"$KEY\" | hookflow login --ingest-url http://localhost:8081 --store-token --ttl 8h"})
public final class LoginCommand extends ApiCommand {

    @Option(names = "--store-token", description = "Exchange the key for a token and save only the token.")
    boolean storeToken;

    @Option(names = "--ttl", paramLabel = "AGE", description = "With --store-token: the token's lifetime (default 24 h).")
    String ttl;

    @Override
    protected void run() {
        Environment environment = session().environment();
        Settings.Layer flags = session().flags();
        Settings.Layer given = flags.apiKey() != null || flags.authToken() != null ? flags
                : new Settings.Layer(flags.name(), flags.url(), flags.serviceUrls(), askForKey(environment), null);
        ConfigFile file = ConfigFile.read(environment.configFile());
        ApiClient client = new ApiClient(Settings.of(given, environment, file), session().version());

        // Any authenticated read proves the credential; the key list is one every credential may read.
        client.get(Service.INGEST, "/api/v1/apikeys");
        Map<String, String> changes = urlChanges(flags);
        String expiry = null;
        if (storeToken) {
            JsonNode token = client.send(Service.INGEST, "POST", TokenCommand.PATH, TokenCommand.issueBody(ttl)).json();
            changes.put(ConfigFile.AUTH_TOKEN, token.path("token").asText());
            changes.put(ConfigFile.API_KEY, null);
            expiry = token.path("expiry").asText();
        } else if (given.apiKey() != null) {
            changes.put(ConfigFile.API_KEY, given.apiKey());
            changes.put(ConfigFile.AUTH_TOKEN, null);
        } else {
            changes.put(ConfigFile.AUTH_TOKEN, given.authToken());
            changes.put(ConfigFile.API_KEY, null);
        }
        file.with(changes).write();

        String where = Settings.of(given, environment, file).url(Service.INGEST);
        printer().line("Logged in to " + where + (expiry == null ? "" : "; the token expires at " + expiry) + ".");
        printer().line("Saved in " + file.path() + " (readable by you only).");
        if (environment.variable("HOOKFLOW_API_KEY") != null || environment.variable("HOOKFLOW_AUTH_TOKEN") != null) {
            printer().line("Note: HOOKFLOW_API_KEY or HOOKFLOW_AUTH_TOKEN is set and wins over the saved credential.");
        }
    }

    /** The URL flags of this command line, to be saved; URLs not given keep their saved value. */
    private static Map<String, String> urlChanges(Settings.Layer flags) {
        Map<String, String> changes = new LinkedHashMap<>();
        if (flags.url() != null) {
            changes.put(ConfigFile.URL, flags.url());
        }
        flags.serviceUrls().forEach((service, url) -> changes.put(service.configKey(), url));
        return changes;
    }

    /** From the terminal without echo, or the first line of standard input when it is not a terminal. */
    private static String askForKey(Environment environment) {
        Console console = System.console();
        String key;
        if (console != null && environment.in() == System.in) {
            char[] typed = console.readPassword("API key: ");
            key = typed == null ? null : new String(typed);
        } else {
            try {
                key = new BufferedReader(new InputStreamReader(environment.in(), StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                throw CliException.usage("cannot read the API key from standard input: " + e.getMessage());
            }
        }
        if (key == null || key.isBlank()) {
            throw CliException.usage("no API key given: pass --api-key, or type or pipe it in");
        }
        return key.strip();
    }
}
