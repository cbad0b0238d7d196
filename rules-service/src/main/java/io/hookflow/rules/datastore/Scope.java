package io.hookflow.rules.datastore;

import java.util.Locale;
import java.util.Optional;

/** StackStorm's datastore scopes: {@code system} keys are shared by the organisation, {@code user} keys by one user. */
public enum Scope {
    SYSTEM, USER;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** StackStorm also writes the scopes as {@code st2kv.system} / {@code st2kv.user}. */
    public static Optional<Scope> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "system", "st2kv.system" -> Optional.of(SYSTEM);
            case "user", "st2kv.user" -> Optional.of(USER);
            default -> Optional.empty();
        };
    }
}
