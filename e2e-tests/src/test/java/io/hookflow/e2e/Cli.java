package io.hookflow.e2e;

import io.hookflow.cli.Hookflow;
import io.hookflow.cli.config.Environment;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The hookflow command run in-process against the running system, configured as a user would through the
 * environment: the three services' URLs and the bootstrap key. The config file lives in a directory of the test's own.
 */
final class Cli {

    record Result(int exitCode, String out, String err) {
        Result assertOk() {
            if (exitCode != 0) {
                throw new AssertionError("expected exit 0, got " + this);
            }
            return this;
        }
    }

    private final Map<String, String> environment;
    private String stdin = "";

    Cli(HookflowSystem system, Path configHome) {
        environment = new HashMap<>();
        environment.put("HOOKFLOW_INGEST_URL", system.ingestUrl());
        environment.put("HOOKFLOW_RULES_URL", system.rulesUrl());
        environment.put("HOOKFLOW_DELIVERY_URL", system.deliveryUrl());
        environment.put("HOOKFLOW_API_KEY", HookflowSystem.KEY);
        environment.put("XDG_CONFIG_HOME", configHome.toString());
        environment.put("HOME", configHome.toString());
    }

    private Cli(Map<String, String> environment) {
        this.environment = environment;
    }

    /** The same CLI with these variables changed; a null value unsets one. */
    Cli with(String variable, String value) {
        Map<String, String> changed = new HashMap<>(environment);
        if (value == null) {
            changed.remove(variable);
        } else {
            changed.put(variable, value);
        }
        return new Cli(changed);
    }

    Cli withStdin(String text) {
        Cli cli = new Cli(environment);
        cli.stdin = text;
        return cli;
    }

    Map<String, String> environment() {
        return environment;
    }

    Result run(String... args) {
        return run(new StringWriter(), args);
    }

    /** Writing standard output into {@code out} as it goes, for a command that runs until stopped (watch). */
    Result run(StringWriter out, String... args) {
        StringWriter err = new StringWriter();
        int exitCode = Hookflow.run(args, new Environment(environment,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintWriter(out, true),
                new PrintWriter(err, true)));
        return new Result(exitCode, out.toString(), err.toString());
    }
}
