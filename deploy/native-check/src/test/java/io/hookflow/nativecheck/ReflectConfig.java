package io.hookflow.nativecheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * The reflection registrations a native build hands to native-image ({@code META-INF/native-image/reflect-config.json}
 * in the runner jar), reduced to what Jackson needs of a type it binds: its constructors, methods and fields.
 */
final class ReflectConfig {

    static final String ENTRY = "META-INF/native-image/reflect-config.json";

    /** Per class name, the flags of all its entries (a class may be registered more than once). */
    private final Map<String, Set<String>> flags;

    ReflectConfig(Map<String, Set<String>> flags) {
        this.flags = flags;
    }

    static ReflectConfig fromRunnerJar(Path runnerJar) {
        try (JarFile jar = new JarFile(runnerJar.toFile())) {
            ZipEntry entry = jar.getEntry(ENTRY);
            if (entry == null) {
                throw new IllegalStateException(runnerJar + " has no " + ENTRY);
            }
            try (InputStream in = jar.getInputStream(entry)) {
                return parse(new ObjectMapper().readTree(in));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + runnerJar, e);
        }
    }

    static ReflectConfig parse(JsonNode entries) {
        Map<String, Set<String>> flags = new HashMap<>();
        for (JsonNode entry : entries) {
            Set<String> of = flags.computeIfAbsent(entry.path("name").asText(), name -> new HashSet<>());
            entry.fieldNames().forEachRemaining(field -> {
                if (entry.get(field).asBoolean(false)) {
                    of.add(field);
                }
            });
            // Single constructors listed by name count as constructors registered.
            for (JsonNode method : entry.path("methods")) {
                if ("<init>".equals(method.path("name").asText())) {
                    of.add("someConstructors");
                }
            }
        }
        return new ReflectConfig(flags);
    }

    /** What Jackson would miss of this class in a native executable; empty when it is fully registered. */
    List<String> missingForBinding(String className) {
        Set<String> of = flags.get(className);
        if (of == null) {
            return List.of("not registered for reflection");
        }
        List<String> missing = new java.util.ArrayList<>();
        if (!anyOf(of, "allDeclaredConstructors", "allPublicConstructors", "someConstructors")) {
            missing.add("constructors");
        }
        if (!anyOf(of, "allDeclaredMethods", "allPublicMethods")) {
            missing.add("methods");
        }
        if (!anyOf(of, "allDeclaredFields", "allPublicFields")) {
            missing.add("fields");
        }
        return missing.isEmpty() ? List.of() : List.of("registered without its " + String.join(", ", missing));
    }

    private static boolean anyOf(Set<String> of, String... wanted) {
        for (String flag : wanted) {
            if (of.contains(flag)) {
                return true;
            }
        }
        return false;
    }
}
