package io.hookflow.rules.template;

import java.util.Map;
import java.util.Optional;

/**
 * StackStorm's key-value datastore as templates read it: {@code {{ st2kv.system.name }}} and
 * {@code {{ st2kv.user.name }}}. A datastore plugs in here, one instance per rendering (already scoped to the
 * organisation and user: rules-service's datastore); {@link #NONE} fails every lookup with a reason.
 */
@FunctionalInterface
public interface KeyValues {

    /** The value of {@code key} (dots included, as in StackStorm: {@code app.token}) in {@code scope}, or empty. */
    Optional<String> find(String scope, String key);

    /**
     * {@code decrypt_kv}: a secret value (ciphertext) as a placeholder that the request carries sealed, so the
     * plaintext never leaves delivery-service's memory ({@link #sealedValues()}).
     *
     * @throws IllegalArgumentException when the value is not a secret of the datastore
     */
    default String seal(String value) {
        throw new IllegalArgumentException("there is no key-value datastore here, so there is no secret to decrypt");
    }

    /** Placeholder -> ciphertext of every secret this rendering sealed. */
    default Map<String, String> sealedValues() {
        return Map.of();
    }

    /** The text with this rendering's placeholders replaced by their plaintext: for a password, sealed whole. */
    default String opened(String text) {
        return text;
    }

    /** No datastore: reading a key fails the enforcement and says why. */
    KeyValues NONE = (scope, key) -> {
        throw new MissingValueException("st2kv." + scope + "." + key + " cannot be read: no key-value datastore is"
                + " given to this rendering");
    };
}
