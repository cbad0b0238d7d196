package io.hookflow.rules.datastore;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/** A key as the API shows it: a secret's value is always masked. */
@RegisterForReflection
public record KeyValueView(String name, String value, boolean secret, String scope, String user, Instant expiresAt,
                           Instant createdAt, Instant updatedAt) {

    public static final String MASK = "********";

    static KeyValueView of(KeyValue key) {
        return new KeyValueView(key.id.name(), key.secret ? MASK : key.value, key.secret, key.id.scope(),
                key.id.user().isEmpty() ? null : key.id.user(), key.expiresAt, key.createdAt, key.updatedAt);
    }
}
