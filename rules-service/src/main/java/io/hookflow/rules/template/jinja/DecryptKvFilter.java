package io.hookflow.rules.template.jinja;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;

/**
 * StackStorm's {@code decrypt_kv}: {@code {{ st2kv.system.token | decrypt_kv }}}. The plaintext is not rendered here:
 * the rendering's datastore seals the secret into a placeholder, and delivery-service puts the plaintext in its place
 * just before sending, so rules-service, the topic and every record hold only ciphertext.
 */
final class DecryptKvFilter implements Filter {

    static final String NAME = "decrypt_kv";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public Object filter(Object value, JinjavaInterpreter interpreter, String... args) {
        if (args != null && args.length > 0) {
            throw new IllegalArgumentException(NAME + ": takes no arguments");
        }
        try {
            return KeyValueLookup.sourceOf(interpreter).seal(String.valueOf(value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(NAME + ": " + e.getMessage(), null);
        }
    }

    @Override
    public boolean preserveSafeString() {
        return false;
    }
}
