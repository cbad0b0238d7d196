package io.hookflow.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.cli.error.CliException;
import io.hookflow.cli.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Values given inline, as {@code @file}, or as {@code @-} for standard input, like curl's {@code --data}. */
public final class Inputs {

    private Inputs() {
    }

    /** The text of an inline value or of the file it names with a leading '@'. */
    public static String text(String value, String option, InputStream stdin) {
        if (value == null || !value.startsWith("@")) {
            return value;
        }
        String name = value.substring(1);
        return name.equals("-") ? read(stdin, option) : file(Path.of(name), option);
    }

    /** Like {@link #text} and parsed as JSON; malformed JSON is a usage error. */
    public static JsonNode json(String value, String option, InputStream stdin) {
        return Json.parse(text(value, option, stdin), option);
    }

    public static String file(Path path, String option) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw CliException.usage(option + ": no such file " + path);
        } catch (IOException e) {
            throw CliException.usage(option + ": cannot read " + path + ": " + e.getMessage());
        }
    }

    private static String read(InputStream stdin, String option) {
        try {
            return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw CliException.usage(option + ": cannot read standard input: " + e.getMessage());
        }
    }

    /** {@code -H 'Name: value'} options as a map, in order; one without a colon is a usage error. */
    public static Map<String, String> headers(List<String> options) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String option : options) {
            int colon = option.indexOf(':');
            if (colon < 1) {
                throw CliException.usage("--header: '" + option + "' is not NAME: VALUE");
            }
            headers.put(option.substring(0, colon).trim(), option.substring(colon + 1).trim());
        }
        return headers;
    }
}
