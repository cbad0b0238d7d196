package io.hookflow.cli.rule;

import io.hookflow.cli.command.Inputs;
import io.hookflow.cli.http.Body;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A rule file as the service takes it: JSON or StackStorm's YAML, sent as written (the service parses YAML itself,
 * so a rule from StackStorm's documentation loads unchanged). {@code .json} is JSON and {@code .yaml}/{@code .yml}
 * YAML; any other name, or {@code -} for standard input, is JSON when it starts with '{'.
 */
final class RuleFile {

    private RuleFile() {
    }

    static Body read(String file, InputStream stdin) {
        String text = file.equals("-") ? Inputs.text("@-", "-f", stdin) : Inputs.file(Path.of(file), "-f");
        return Body.of(contentType(file, text), text);
    }

    static String contentType(String file, String text) {
        String name = file.toLowerCase(Locale.ROOT);
        if (name.endsWith(".json")) {
            return Body.JSON;
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return Body.YAML;
        }
        return text.stripLeading().startsWith("{") ? Body.JSON : Body.YAML;
    }
}
