package io.hookflow.rules.template.jinja;

import java.util.Map;
import java.util.Optional;

/**
 * StackStorm's datastore in templates: {@code st2kv.system.name} and {@code st2kv.user.name}. As in StackStorm, each
 * {@code .part} extends the key ({@code st2kv.system.app.token} reads key {@code app.token}), and the value is read
 * when the expression is printed or given to a filter. A key that is absent fails the rendering.
 */
public final class KeyValueLookup {

    /** Where values come from: the value of {@code key} in {@code scope} ("system" or "user"), or empty. */
    @FunctionalInterface
    public interface Source {
        Optional<String> find(String scope, String key);

        /** decrypt_kv: a secret value as the placeholder the request carries sealed. */
        default String seal(String value) {
            throw new IllegalArgumentException("there is no key-value datastore here, so there is no secret to decrypt");
        }
    }

    private final Source source;
    private final String scope;
    private final String key;

    private KeyValueLookup(Source source, String scope, String key) {
        this.source = source;
        this.scope = scope;
        this.key = key;
    }

    /** The {@code st2kv} binding: its two scopes. */
    static Map<String, Object> binding(Source source) {
        return Map.of("system", new KeyValueLookup(source, "system", null),
                "user", new KeyValueLookup(source, "user", null));
    }

    /** The datastore of the rendering the interpreter is doing, as its {@code st2kv} binding holds it. */
    static Source sourceOf(com.hubspot.jinjava.interpret.JinjavaInterpreter interpreter) {
        Object binding = interpreter == null ? null : interpreter.getContext().get("st2kv");
        if (binding instanceof Map<?, ?> scopes && scopes.get("system") instanceof KeyValueLookup lookup) {
            return lookup.source;
        }
        return (scope, key) -> Optional.empty();
    }

    KeyValueLookup child(String part) {
        return new KeyValueLookup(source, scope, key == null ? part : key + "." + part);
    }

    /** The value, read now: a template prints it or a filter takes it as text. */
    @Override
    public String toString() {
        String name = "st2kv." + scope + (key == null ? "" : "." + key);
        if (key == null) {
            throw new JinjaRenderException(JinjaRenderException.Kind.FAILED, name + " is a scope, not a value: write "
                    + name + ".<key>");
        }
        Optional<String> value;
        try {
            value = source.find(scope, key);
        } catch (RuntimeException e) {
            throw new JinjaRenderException(JinjaRenderException.Kind.UNDEFINED, e.getMessage());
        }
        return value.orElseThrow(() -> new JinjaRenderException(JinjaRenderException.Kind.UNDEFINED,
                name + " is not in the key-value datastore"));
    }
}
