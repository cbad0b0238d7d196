package io.hookflow.cli.config;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the CLI reads from and writes to outside its arguments: the environment variables and the three standard
 * streams. Passed in rather than read from {@link System} so tests run the CLI in-process with their own.
 */
public record Environment(Map<String, String> variables, InputStream in, PrintWriter out, PrintWriter err) {

    public static Environment system() {
        return new Environment(System.getenv(), System.in,
                new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
    }

    /** A variable's value, or null when it is unset or blank (an empty variable configures nothing). */
    public String variable(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** {@code $XDG_CONFIG_HOME/hookflow/config}, else {@code ~/.config/hookflow/config}. */
    public Path configFile() {
        String xdg = variable("XDG_CONFIG_HOME");
        // The XDG spec says a relative value is invalid and must be ignored.
        if (xdg != null && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "hookflow", "config");
        }
        String home = variable("HOME");
        return Path.of(home != null ? home : System.getProperty("user.home"), ".config", "hookflow", "config");
    }
}
