package io.hookflow.cli.command;

import io.hookflow.cli.config.ConfigFile;
import io.hookflow.cli.config.Environment;
import io.hookflow.cli.config.Settings;
import io.hookflow.cli.http.ApiClient;

/**
 * What a command runs with: the environment, the resolved settings, a client for the services and the printer. Built
 * once per run by the root command, after the whole command line (its global flags included) has been parsed.
 */
public final class Session {

    /** The root command, which owns the global flags. */
    public interface Source {
        Session session();
    }

    private final Environment environment;
    private final Settings.Layer flags;
    private final boolean json;
    private final String version;
    private Settings settings;
    private ApiClient api;

    public Session(Environment environment, Settings.Layer flags, boolean json, String version) {
        this.environment = environment;
        this.flags = flags;
        this.json = json;
        this.version = version;
    }

    public Environment environment() {
        return environment;
    }

    /** The flags alone (login writes the URLs given on its command line). */
    public Settings.Layer flags() {
        return flags;
    }

    public Settings settings() {
        if (settings == null) {
            settings = Settings.of(flags, environment, ConfigFile.read(environment.configFile()));
        }
        return settings;
    }

    public ApiClient api() {
        if (api == null) {
            api = new ApiClient(settings(), version);
        }
        return api;
    }

    public Printer printer() {
        return new Printer(environment.out(), json);
    }

    public boolean json() {
        return json;
    }

    public String version() {
        return version;
    }
}
