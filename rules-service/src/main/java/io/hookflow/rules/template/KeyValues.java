package io.hookflow.rules.template;

import java.util.Optional;

/**
 * StackStorm's key-value datastore as templates read it: {@code {{ st2kv.system.name }}} and
 * {@code {{ st2kv.user.name }}}. A datastore plugs in here, one instance per rendering (already scoped to the
 * organisation and user); until one exists, {@link #NONE} fails every lookup with a reason.
 */
@FunctionalInterface
public interface KeyValues {

    /** The value of {@code key} (dots included, as in StackStorm: {@code app.token}) in {@code scope}, or empty. */
    Optional<String> find(String scope, String key);

    /** No datastore: reading a key fails the enforcement and says why. */
    KeyValues NONE = (scope, key) -> {
        throw new MissingValueException("st2kv." + scope + "." + key + " cannot be read: Hookflow has no key-value"
                + " datastore yet");
    };
}
