package io.hookflow.cli.rule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookflow.cli.command.ApiCommand;
import io.hookflow.cli.command.CommandGroup;
import io.hookflow.cli.command.Inputs;
import io.hookflow.cli.config.Service;
import io.hookflow.cli.delivery.DeliveryResult;
import io.hookflow.cli.http.Body;
import io.hookflow.cli.http.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "rule", description = "Rules: when a trigger fires and the criteria hold, send the request (rules-service).",
        subcommands = {RuleCommand.Create.class, RuleCommand.ListRules.class, RuleCommand.Get.class,
                RuleCommand.Update.class, RuleCommand.Enable.class, RuleCommand.Disable.class, RuleCommand.Delete.class,
                RuleCommand.Test.class, RuleCommand.Execute.class})
public final class RuleCommand extends CommandGroup {

    static final String PATH = "/api/v1/rules";

    @Command(name = "create", description = "Create a rule from a JSON or YAML file (StackStorm's rule format).",
            footer = {"", "Example:", "  hookflow rule create -f rules/notify_ci.yaml"})
    public static final class Create extends ApiCommand {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The rule; - reads standard input.")
        String file;

        @Override
        protected void run() {
            printer().show(api().send(Service.RULES, "POST", PATH, RuleFile.read(file, session().environment().in())),
                    RuleViews::details);
        }
    }

    @Command(name = "list", description = "Your organisation's rules.")
    public static final class ListRules extends ApiCommand {
        @Option(names = "--pack", description = "Only this pack's rules.")
        String pack;

        @Option(names = "--enabled", paramLabel = "true|false", arity = "0..1", fallbackValue = "true",
                description = "Only enabled (or, with false, disabled) rules.")
        Boolean enabled;

        @Option(names = "--trigger", paramLabel = "TYPE", description = "Only rules of this trigger type.")
        String triggerType;

        @Override
        protected void run() {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("pack", pack);
            query.put("enabled", enabled == null ? null : enabled.toString());
            query.put("triggerType", triggerType);
            printer().show(api().get(Service.RULES, PATH, query), RuleViews::table);
        }
    }

    @Command(name = "get", description = "One rule by ref (pack.name) or id; secrets masked.")
    public static final class Get extends ApiCommand {
        @Parameters(paramLabel = "REF", description = "pack.name or id.")
        String ref;

        @Override
        protected void run() {
            printer().show(api().get(Service.RULES, PATH + "/" + segment(ref)), RuleViews::details);
        }
    }

    @Command(name = "update", description = "Replace a rule with the one in the file (masked secrets sent back keep"
            + " their stored value).")
    public static final class Update extends ApiCommand {
        @Parameters(paramLabel = "REF", description = "pack.name or id.")
        String ref;

        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The rule; - reads standard input.")
        String file;

        @Override
        protected void run() {
            printer().show(api().send(Service.RULES, "PUT", PATH + "/" + segment(ref),
                    RuleFile.read(file, session().environment().in())), RuleViews::details);
        }
    }

    @Command(name = "enable", description = "Enable a rule.")
    public static final class Enable extends ApiCommand {
        @Parameters(paramLabel = "REF", description = "pack.name or id.")
        String ref;

        @Override
        protected void run() {
            switchTo(this, ref, "enable");
        }
    }

    @Command(name = "disable", description = "Disable a rule: it matches nothing until enabled again.")
    public static final class Disable extends ApiCommand {
        @Parameters(paramLabel = "REF", description = "pack.name or id.")
        String ref;

        @Override
        protected void run() {
            switchTo(this, ref, "disable");
        }
    }

    @Command(name = "delete", description = "Delete a rule.")
    public static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "REF", description = "pack.name or id.")
        String ref;

        @Override
        protected void run() {
            api().send(Service.RULES, "DELETE", PATH + "/" + segment(ref), Body.NONE);
            printer().done("Deleted rule " + ref + ".");
        }
    }

    /** POST .../enable or .../disable, confirmed as "Rule pack.name enabled." */
    private static void switchTo(ApiCommand command, String ref, String action) {
        command.printer().show(command.api().send(Service.RULES, "POST", PATH + "/" + ApiCommand.segment(ref) + "/" + action,
                        Body.NONE),
                rule -> "Rule " + rule.path("ref").asText() + " " + action + "d.\n");
    }

    /** Exactly one of a payload or a recorded trigger instance. */
    static final class TestInput {
        @Option(names = "--payload", paramLabel = "JSON|@FILE",
                description = "A trigger payload (inline, @file or @-), as an instance of the rule's own trigger.")
        String payload;

        @Option(names = "--trigger-instance", paramLabel = "ID", description = "A recorded trigger instance.")
        String triggerInstance;
    }

    @Command(name = "test", description = "Dry-run a rule: does it match, criterion by criterion, and what would it send?"
            + " Nothing is sent or recorded.",
            footer = {"", "Examples:", "  hookflow rule test examples.notify_demo --payload '{\"attribute1\": \"value1\"}'",
                    "  hookflow rule test examples.notify_demo --trigger-instance 5f0c..."})
    public static final class Test extends ApiCommand {
        @Parameters(paramLabel = "REF", description = "pack.name or id.")
        String ref;

        @ArgGroup(exclusive = true, multiplicity = "1")
        TestInput input;

        @Override
        protected void run() {
            ObjectNode request = Json.object().put("ruleRef", ref);
            if (input.triggerInstance != null) {
                request.put("triggerInstanceId", input.triggerInstance);
            } else {
                JsonNode payload = Inputs.json(input.payload, "--payload", session().environment().in());
                // The tester needs the instance's trigger; the rule's own is what the payload is meant for.
                JsonNode rule = api().get(Service.RULES, PATH + "/" + segment(ref)).json();
                ObjectNode instance = request.putObject("triggerInstance");
                instance.put("trigger", rule.path("trigger").path("type").asText());
                if (rule.path("trigger").path("parameters").isObject()) {
                    instance.set("parameters", rule.path("trigger").path("parameters"));
                }
                instance.set("payload", payload);
            }
            printer().show(api().send(Service.RULES, "POST", PATH + "/test", Body.json(Json.write(request))),
                    RuleViews::testResult);
        }
    }

    @Command(name = "execute", description = {"Send the rule's request once, now, through delivery-service, and show the"
            + " answer.", "Rendered from the given trigger instance, else from the newest recent one the rule matches"
            + " (or an empty payload)."})
    public static final class Execute extends ApiCommand {
        @Parameters(paramLabel = "REF", description = "pack.name or id.")
        String ref;

        @Option(names = "--trigger-instance", paramLabel = "ID",
                description = "Render from this trigger instance (of the rule's trigger); its criteria are not checked.")
        String triggerInstance;

        @Override
        protected void run() {
            String query = triggerInstance == null ? "" : "?triggerInstance=" + segment(triggerInstance);
            printer().show(api().send(Service.RULES, "POST", PATH + "/" + segment(ref) + "/execute" + query, Body.NONE),
                    DeliveryResult::render);
        }
    }
}
