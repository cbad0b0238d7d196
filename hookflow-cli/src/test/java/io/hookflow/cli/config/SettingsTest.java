package io.hookflow.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Flags, then environment, then the config file, then the local defaults; the first layer that says something wins. */
class SettingsTest {

    @TempDir
    Path home;

    static final Settings.Layer NO_FLAGS = flags(null, Map.of(), null, null);

    @Test
    void shouldUseTheLocalPortsWhenNothingIsConfigured() {
        Settings settings = settings(NO_FLAGS, Map.of(), "");
        assertEquals("http://localhost:8081", settings.url(Service.INGEST));
        assertEquals("http://localhost:8082", settings.url(Service.RULES));
        assertEquals("http://localhost:8083", settings.url(Service.DELIVERY));
        assertNull(settings.credential());
    }

    @Test
    void shouldPreferFlagsOverEnvironmentOverConfigFile() {
        String file = "url = http://from-file\napi_key = file-key\n";
        Map<String, String> env = Map.of("HOOKFLOW_URL", "http://from-env", "HOOKFLOW_API_KEY", "env-key");

        assertEquals("http://from-file", settings(NO_FLAGS, Map.of(), file).url(Service.RULES));
        assertEquals("file-key", settings(NO_FLAGS, Map.of(), file).credential().value());

        assertEquals("http://from-env", settings(NO_FLAGS, env, file).url(Service.RULES));
        assertEquals("env-key", settings(NO_FLAGS, env, file).credential().value());

        Settings flagged = settings(flags("http://from-flag/", Map.of(), "flag-key", null), env, file);
        assertEquals("http://from-flag", flagged.url(Service.RULES));
        assertEquals("flag-key", flagged.credential().value());
        assertEquals("flags", flagged.credential().source());
    }

    @Test
    void shouldLetAServiceUrlBeatTheBaseUrlOnlyWithinItsOwnLayer() {
        Map<String, String> env = Map.of("HOOKFLOW_URL", "http://gateway", "HOOKFLOW_DELIVERY_URL", "http://delivery:9");
        Settings fromEnv = settings(NO_FLAGS, env, "ingest_url = http://ingest-from-file\n");
        assertEquals("http://gateway", fromEnv.url(Service.INGEST), "the environment's base URL beats the file's ingest_url");
        assertEquals("http://delivery:9", fromEnv.url(Service.DELIVERY));

        Settings flagged = settings(flags("http://flag-gateway", Map.of(), null, null), env, "");
        assertEquals("http://flag-gateway", flagged.url(Service.DELIVERY), "a base URL flag beats a service variable");

        Settings oneService = settings(flags(null, Map.of(Service.RULES, "http://rules:1"), null, null), env, "");
        assertEquals("http://rules:1", oneService.url(Service.RULES));
        assertEquals("http://gateway", oneService.url(Service.INGEST));
    }

    @Test
    void shouldTakeTheCredentialOfTheFirstLayerThatHasOneWhateverItsKind() {
        Map<String, String> env = Map.of("HOOKFLOW_AUTH_TOKEN", "hft1.env");
        Settings.Credential fromEnv = settings(NO_FLAGS, env, "api_key = file-key\n").credential();
        assertEquals(Settings.Credential.TOKEN_HEADER, fromEnv.header());
        assertEquals("hft1.env", fromEnv.value());

        Settings.Credential flagged = settings(flags(null, Map.of(), "flag-key", null), env, "").credential();
        assertEquals(Settings.Credential.API_KEY_HEADER, flagged.header());

        Settings.Credential both = settings(NO_FLAGS, Map.of(), "api_key = k\nauth_token = hft1.t\n").credential();
        assertEquals(Settings.Credential.API_KEY_HEADER, both.header(), "a layer with both sends its key");
        assertEquals("k", both.value());
    }

    @Test
    void shouldTreatBlankValuesAsAbsent() {
        Map<String, String> env = new HashMap<>();
        env.put("HOOKFLOW_URL", "  ");
        env.put("HOOKFLOW_API_KEY", "");
        Settings settings = settings(flags("", Map.of(Service.INGEST, " "), " ", null), env,
                "url = http://from-file\napi_key = file-key\n");
        assertEquals("http://from-file", settings.url(Service.INGEST));
        assertEquals("file-key", settings.credential().value());
    }

    static Settings.Layer flags(String url, Map<Service, String> urls, String apiKey, String token) {
        return new Settings.Layer("flags", url, urls, apiKey, token);
    }

    private Settings settings(Settings.Layer flags, Map<String, String> variables, String fileContent) {
        Map<String, String> env = new HashMap<>(variables);
        env.put("HOME", home.toString());
        env.remove("XDG_CONFIG_HOME");
        Environment environment = new Environment(env, new ByteArrayInputStream(new byte[0]),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        try {
            Files.createDirectories(environment.configFile().getParent());
            Files.writeString(environment.configFile(), fileContent);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return Settings.of(flags, environment, ConfigFile.read(environment.configFile()));
    }
}
