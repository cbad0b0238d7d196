package io.hookflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.cli.config.Environment;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line itself, run in-process: help, usage errors and unreachable services need no server. */
class HookflowTest {

    @TempDir
    Path home;

    record Result(int exitCode, String out, String err) {
    }

    @Test
    void shouldAnswerHelpForEveryCommandAtEveryLevel() {
        List<String> commands = new ArrayList<>();
        collect(new CommandLine(new Hookflow()), "", commands);
        assertTrue(commands.size() > 40, "every command is walked: " + commands);
        for (String command : commands) {
            List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
            args.add("--help");
            Result result = run(Map.of(), args.toArray(String[]::new));
            assertEquals(0, result.exitCode(), command + ": " + result);
            assertTrue(result.out().startsWith("Usage: hookflow" + (command.isEmpty() ? "" : " " + command)),
                    command + ": " + result.out());
        }
    }

    @Test
    void shouldExitWithUsageForACommandGroupAloneAndForNothingAtAll() {
        Result group = run(Map.of(), "execution");
        assertEquals(2, group.exitCode());
        assertTrue(group.err().contains("Usage: hookflow execution"), group.err());
        assertEquals(2, run(Map.of()).exitCode());
    }

    @Test
    void shouldExplainAUsageErrorInOneLineAndPointToHelp() {
        Result unknown = run(Map.of(), "execution", "list", "--bogus");
        assertEquals(2, unknown.exitCode());
        assertEquals("Error: Unknown option: '--bogus'\nTry 'hookflow execution list --help' for more information.\n",
                unknown.err());
        assertEquals(2, run(Map.of(), "rule", "create").exitCode(), "-f is required");
        assertEquals(2, run(Map.of(), "rule", "test", "a.b", "--payload", "{}", "--trigger-instance", "x").exitCode(),
                "a payload or an instance, not both");
        assertEquals(2, run(Map.of(), "rule", "test", "a.b").exitCode(), "a payload or an instance is required");
    }

    @Test
    void shouldRefuseMalformedDataAsUsageBeforeSendingAnything() {
        Result result = run(Map.of("HOOKFLOW_URL", "http://127.0.0.1:" + closedPort()), "webhook", "fire", "st2",
                "--data", "{not json");
        assertEquals(2, result.exitCode(), result.toString());
        assertTrue(result.err().startsWith("--data is not valid JSON"), result.err());

        Result missingData = run(Map.of(), "webhook", "fire", "st2", "--data", "@" + home.resolve("absent.json"));
        assertEquals(2, missingData.exitCode(), missingData.toString());
        assertTrue(missingData.err().startsWith("--data: no such file"), missingData.err());

        Result missing = run(Map.of(), "rule", "create", "-f", home.resolve("absent.yaml").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("no such file"), missing.err());
    }

    @Test
    void shouldReadAtFileAsTheOptionsValueNotAsPicocliArgumentFile() throws Exception {
        Path payload = home.resolve("payload.json");
        Files.writeString(payload, "{\"attribute1\": \"other value\"}");
        // Read as --data's file, the command gets as far as sending (exit 3); expanded as an argument file, its words
        // would be unmatched arguments (exit 2).
        Result result = run(Map.of("HOOKFLOW_URL", "http://127.0.0.1:" + closedPort()), "webhook", "fire", "st2",
                "--data", "@" + payload);
        assertEquals(3, result.exitCode(), result.toString());
    }

    @Test
    void shouldExitThreeWithOneLineWhenTheServiceCannotBeReached() {
        int port = closedPort();
        Result result = run(Map.of("HOOKFLOW_URL", "http://127.0.0.1:" + port), "execution", "list");
        assertEquals(3, result.exitCode(), result.toString());
        assertEquals("Error: cannot reach delivery-service at http://127.0.0.1:" + port + ": connection refused (is it"
                + " running? point the CLI at it with --base-url or HOOKFLOW_URL)\n", result.err());
        assertEquals("", result.out());
    }

    @Test
    void shouldApplyGlobalFlagsGivenAfterTheSubcommandOverTheEnvironmentAndTheFile() throws Exception {
        int fromFile = closedPort();
        int fromEnv = closedPort();
        int fromFlag = closedPort();
        Path config = home.resolve("xdg/hookflow/config");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "url = http://127.0.0.1:" + fromFile + "\n");
        Map<String, String> env = Map.of("XDG_CONFIG_HOME", home.resolve("xdg").toString());
        assertTrue(run(env, "rule", "list").err().contains(":" + fromFile + ":"));

        Map<String, String> withVariable = new HashMap<>(env);
        withVariable.put("HOOKFLOW_RULES_URL", "http://127.0.0.1:" + fromEnv);
        assertTrue(run(withVariable, "rule", "list").err().contains(":" + fromEnv + ":"));

        Result flagged = run(withVariable, "rule", "list", "-j", "--base-url", "http://127.0.0.1:" + fromFlag);
        assertEquals(3, flagged.exitCode());
        assertTrue(flagged.err().contains(":" + fromFlag + ":"), flagged.err());
    }

    @Test
    void shouldGenerateACompletionScriptThatKnowsEveryCommand() {
        // The same generator the build runs (exec-maven-plugin, picocli.AutoComplete) into target/hookflow_completion.
        String script = picocli.AutoComplete.bash("hookflow", new CommandLine(new Hookflow()));
        assertTrue(script.contains("complete -F _complete_hookflow") || script.contains("_complete_hookflow hookflow"));
        for (String command : List.of("webhook fire", "rule test", "execution watch", "apikey disable", "test-delivery")) {
            assertTrue(script.contains(command), command);
        }
        assertTrue(script.contains("--trigger-instance"));
    }

    @Test
    void shouldPrintTheVersion() {
        Result version = run(Map.of(), "--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.out().matches("hookflow \\d+\\.\\d+\\.\\d+.*\\n"), version.out());
    }

    private Result run(Map<String, String> variables, String... args) {
        Map<String, String> env = new HashMap<>(variables);
        env.putIfAbsent("HOME", home.toString());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Hookflow.run(args, new Environment(env, new ByteArrayInputStream(new byte[0]),
                new PrintWriter(out), new PrintWriter(err)));
        return new Result(exitCode, out.toString(), err.toString());
    }

    private static void collect(CommandLine command, String path, List<String> into) {
        into.add(path);
        command.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                collect(sub, path.isEmpty() ? name : path + " " + name, into);
            }
        });
    }

    /** A port nothing listens on: bound a moment ago by this test and released. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
