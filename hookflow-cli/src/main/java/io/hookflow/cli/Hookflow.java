package io.hookflow.cli;

import io.hookflow.cli.auth.ApiKeyCommand;
import io.hookflow.cli.auth.LoginCommand;
import io.hookflow.cli.auth.TokenCommand;
import io.hookflow.cli.command.Session;
import io.hookflow.cli.config.Environment;
import io.hookflow.cli.config.Service;
import io.hookflow.cli.config.Settings;
import io.hookflow.cli.delivery.DestinationCommand;
import io.hookflow.cli.delivery.SigningKeyCommand;
import io.hookflow.cli.delivery.TestDeliveryCommand;
import io.hookflow.cli.error.CliException;
import io.hookflow.cli.execution.ExecutionCommand;
import io.hookflow.cli.execution.ReplayCommand;
import io.hookflow.cli.records.EnforcementCommand;
import io.hookflow.cli.records.TriggerInstanceCommand;
import io.hookflow.cli.rule.RuleCommand;
import io.hookflow.cli.webhook.WebhookCommand;
import java.io.IOException;
import java.io.InputStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code hookflow}: the operators' command line for the three services. The global flags below work at every level
 * ({@code hookflow -j webhook list} and {@code hookflow webhook list -j} alike).
 */
@Command(name = "hookflow", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = Hookflow.Version.class, sortOptions = false, usageHelpAutoWidth = true,
        abbreviateSynopsis = true,
        description = {"Webhooks, rules, executions and credentials of a Hookflow system, from the command line.",
                "",
                "Settings come from flags, then the environment (HOOKFLOW_URL or HOOKFLOW_INGEST_URL, HOOKFLOW_RULES_URL,"
                        + " HOOKFLOW_DELIVERY_URL; HOOKFLOW_API_KEY or HOOKFLOW_AUTH_TOKEN), then the config file"
                        + " ($XDG_CONFIG_HOME/hookflow/config or ~/.config/hookflow/config, written by hookflow login)."
                        + " Without any, the services are expected on localhost:8081, 8082 and 8083 (deploy/local/run).",
                ""},
        footer = {"", "Exit codes: 0 ok, 1 a service refused (the line says its HTTP status and message), 2 usage,"
                + " 3 a service could not be reached."},
        subcommands = {WebhookCommand.class, RuleCommand.class, ExecutionCommand.class, TriggerInstanceCommand.class,
                EnforcementCommand.class, ApiKeyCommand.class, TokenCommand.class, LoginCommand.class,
                DestinationCommand.class, SigningKeyCommand.class, TestDeliveryCommand.class, ReplayCommand.class,
                CommandLine.HelpCommand.class})
public final class Hookflow implements Callable<Integer>, Session.Source {

    @Option(names = "--base-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "One base URL that serves all three services' APIs (env HOOKFLOW_URL).")
    String url;

    @Option(names = "--ingest-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "ingest-service: webhooks, API keys, tokens (env HOOKFLOW_INGEST_URL; default http://localhost:8081).")
    String ingestUrl;

    @Option(names = "--rules-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "rules-service: rules, trigger instances, enforcements (env HOOKFLOW_RULES_URL; default http://localhost:8082).")
    String rulesUrl;

    @Option(names = "--delivery-url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "delivery-service: executions, destinations, test deliveries (env HOOKFLOW_DELIVERY_URL; default http://localhost:8083).")
    String deliveryUrl;

    @Option(names = "--api-key", scope = ScopeType.INHERIT, paramLabel = "KEY",
            description = "API key, sent as St2-Api-Key (env HOOKFLOW_API_KEY).")
    String apiKey;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "Token, sent as X-Auth-Token (env HOOKFLOW_AUTH_TOKEN).")
    String authToken;

    @Option(names = {"-j", "--json"}, scope = ScopeType.INHERIT,
            description = "Print the service's JSON answer unchanged (for scripts and jq).")
    boolean json;

    @Spec
    CommandSpec spec;

    private final Environment environment;
    private Session session;

    /** For picocli's tools (completion script generation); the CLI itself runs through {@link #run}. */
    public Hookflow() {
        this(Environment.system());
    }

    Hookflow(Environment environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        System.exit(run(args, Environment.system()));
    }

    /** Runs one command line and answers its exit code; tests call this in-process with their own environment. */
    public static int run(String[] args, Environment environment) {
        CommandLine commandLine = new CommandLine(new Hookflow(environment));
        // "@file" is ours (--data @event.json), not picocli's argument-file expansion.
        commandLine.setExpandAtFiles(false);
        commandLine.setOut(environment.out());
        commandLine.setErr(environment.err());
        commandLine.setExecutionExceptionHandler((exception, failed, parseResult) -> {
            if (exception instanceof CliException refusal) {
                failed.getErr().println(refusal.getMessage());
                failed.getErr().flush();
                return refusal.exitCode();
            }
            throw exception;
        });
        commandLine.setParameterExceptionHandler((exception, arguments) -> {
            CommandLine failed = exception.getCommandLine();
            failed.getErr().println("Error: " + exception.getMessage());
            failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
            failed.getErr().flush();
            return CliException.USAGE;
        });
        showGlobalOptionsOnlyAtTheTop(commandLine);
        int exitCode = commandLine.execute(args);
        environment.out().flush();
        environment.err().flush();
        return exitCode;
    }

    /**
     * Every subcommand accepts the global options, but its help lists only its own and names the global ones in a
     * line, so {@code hookflow rule test --help} is about testing rules.
     */
    private static void showGlobalOptionsOnlyAtTheTop(CommandLine commandLine) {
        for (CommandLine sub : commandLine.getSubcommands().values()) {
            sub.getHelpSectionMap().put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, help -> {
                List<OptionSpec> own = help.commandSpec().options().stream()
                        .filter(option -> !option.inherited() && !option.hidden()).toList();
                return help.optionListExcludingGroups(own, help.createDefaultLayout(), help.createDefaultOptionSort(),
                        help.createDefaultParamLabelRenderer())
                        + "Global options work here too: --base-url, --ingest-url, --rules-url, --delivery-url,\n"
                        + "  --api-key, --token, -j/--json (see hookflow --help).\n";
            });
            showGlobalOptionsOnlyAtTheTop(sub);
        }
    }

    /** {@code hookflow} alone: the usage, as for a command line that says nothing. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CliException.USAGE;
    }

    @Override
    public Session session() {
        if (session == null) {
            Map<Service, String> urls = new EnumMap<>(Service.class);
            putIfGiven(urls, Service.INGEST, ingestUrl);
            putIfGiven(urls, Service.RULES, rulesUrl);
            putIfGiven(urls, Service.DELIVERY, deliveryUrl);
            session = new Session(environment, new Settings.Layer("flags", url, urls, apiKey, authToken), json,
                    Version.number());
        }
        return session;
    }

    private static void putIfGiven(Map<Service, String> urls, Service service, String value) {
        if (value != null) {
            urls.put(service, value);
        }
    }

    /** The build's version, from a resource Maven fills in. */
    static final class Version implements CommandLine.IVersionProvider {

        @Override
        public String[] getVersion() {
            return new String[] {"hookflow " + number()};
        }

        static String number() {
            Properties properties = new Properties();
            try (InputStream in = Hookflow.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                return "unknown";
            }
            return properties.getProperty("version", "unknown");
        }
    }
}
