package io.hookflow.cli.config;

import java.util.Locale;

/** The three services and where each one listens when nothing else is configured (as deploy/local/run starts them). */
public enum Service {
    INGEST("http://localhost:8081"),
    RULES("http://localhost:8082"),
    DELIVERY("http://localhost:8083");

    private final String defaultUrl;

    Service(String defaultUrl) {
        this.defaultUrl = defaultUrl;
    }

    public String defaultUrl() {
        return defaultUrl;
    }

    /** ingest, rules, delivery: as the flags, variables and config keys spell it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** HOOKFLOW_INGEST_URL, HOOKFLOW_RULES_URL, HOOKFLOW_DELIVERY_URL. */
    public String environmentVariable() {
        return "HOOKFLOW_" + name() + "_URL";
    }

    /** ingest_url, rules_url, delivery_url in the config file. */
    public String configKey() {
        return label() + "_url";
    }
}
