package io.hookflow.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {

    @TempDir
    Path home;

    @Test
    void shouldFindTheFileUnderXdgConfigHomeWhenItIsAbsoluteElseUnderHome() {
        assertEquals(home.resolve("xdg/hookflow/config"),
                environment(Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", home.resolve("xdg").toString())).configFile());
        assertEquals(home.resolve(".config/hookflow/config"),
                environment(Map.of("HOME", home.toString(), "XDG_CONFIG_HOME", "relative/ignored")).configFile());
        assertEquals(home.resolve(".config/hookflow/config"), environment(Map.of("HOME", home.toString())).configFile());
    }

    @Test
    void shouldWriteTheFileReadableByItsOwnerOnly() throws Exception {
        Path file = home.resolve("fresh/hookflow/config");
        ConfigFile.read(file).with(Map.of("api_key", "hfk_secret", "url", "http://gateway")).write();

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        ConfigFile read = ConfigFile.read(file);
        assertEquals("hfk_secret", read.get("api_key"));
        assertEquals("http://gateway", read.get("url"));
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void shouldKeepOtherSettingsAndRemoveTheOnesSetToNull() {
        Path file = home.resolve("config");
        ConfigFile.read(file).with(Map.of("api_key", "k", "rules_url", "http://rules")).write();
        Map<String, String> changes = new HashMap<>();
        changes.put("api_key", null);
        changes.put("auth_token", "hft1.t");
        ConfigFile.read(file).with(changes).write();

        ConfigFile read = ConfigFile.read(file);
        assertNull(read.get("api_key"));
        assertEquals("hft1.t", read.get("auth_token"));
        assertEquals("http://rules", read.get("rules_url"));
    }

    @Test
    void shouldReadAMissingFileAsEmpty() {
        assertNull(ConfigFile.read(home.resolve("absent")).get("url"));
    }

    private static Environment environment(Map<String, String> variables) {
        return new Environment(variables, new ByteArrayInputStream(new byte[0]), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()));
    }
}
