package io.hookflow.cli.config;

import io.hookflow.cli.error.CliException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The config file {@code hookflow login} writes: {@code key = value} lines (Java properties) with the keys
 * {@code url}, {@code ingest_url}, {@code rules_url}, {@code delivery_url}, {@code api_key} and {@code auth_token}.
 * It holds a credential, so it is written with mode 600 in a directory with mode 700.
 */
public final class ConfigFile {

    public static final String URL = "url";
    public static final String API_KEY = "api_key";
    public static final String AUTH_TOKEN = "auth_token";

    private final Path path;
    private final Map<String, String> values;

    private ConfigFile(Path path, Map<String, String> values) {
        this.path = path;
        this.values = values;
    }

    /** The file's settings; a missing file is an empty one. */
    public static ConfigFile read(Path path) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            return new ConfigFile(path, new LinkedHashMap<>());
        } catch (IOException | IllegalArgumentException e) {
            throw CliException.usage("cannot read the config file " + path + ": " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(key -> {
            String value = properties.getProperty(key).trim();
            if (!value.isEmpty()) {
                values.put(key.trim(), value);
            }
        });
        return new ConfigFile(path, values);
    }

    public Path path() {
        return path;
    }

    /** A setting, or null when absent. */
    public String get(String key) {
        return values.get(key);
    }

    /** A copy with these settings changed; a null value removes the key. */
    public ConfigFile with(Map<String, String> changes) {
        Map<String, String> changed = new LinkedHashMap<>(values);
        changes.forEach((key, value) -> {
            if (value == null) {
                changed.remove(key);
            } else {
                changed.put(key, value);
            }
        });
        return new ConfigFile(path, changed);
    }

    /**
     * Writes the file readable by its owner only. The content goes to a private temporary file first and is moved
     * into place, so the credential is never readable by others, not even for a moment, and a crash leaves the old
     * file whole.
     */
    public void write() {
        Properties properties = new Properties();
        properties.putAll(values);
        StringWriter text = new StringWriter();
        try {
            properties.store(text, "hookflow CLI settings, written by hookflow login; holds a credential (mode 600)");
            Path directory = path.toAbsolutePath().getParent();
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            if (!Files.isDirectory(directory)) {
                if (posix) {
                    Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(directory);
                }
            }
            Path temporary = posix
                    ? Files.createTempFile(directory, ".config", ".tmp", PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(directory, ".config", ".tmp");
            try {
                Files.writeString(temporary, text.toString(), StandardCharsets.UTF_8);
                try {
                    Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw CliException.usage("cannot write the config file " + path + ": " + e.getMessage());
        }
    }
}
