package io.hookflow.nativecheck;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads each service's native sources (written by its package phase, see the parent pom's native-sources execution)
 * and checks that every type our code binds with Jackson is registered for reflection with its constructors, methods
 * and fields. A type missing here would work on the JVM and fail in the native executable.
 */
class NativeRegistrationsIT {

    @ParameterizedTest
    @ValueSource(strings = {"ingest-service", "rules-service", "delivery-service"})
    void shouldRegisterEveryTypeOurCodeBindsWithJackson(String service) {
        Path nativeSources = projectRoot().resolve(service).resolve("target/native-sources");
        Path runnerJar = only(nativeSources, "*-runner.jar");
        JacksonBoundTypes analysis = new JacksonBoundTypes("io.hookflow").scan(runnerJar);
        ourLibraries(nativeSources.resolve("lib")).forEach(analysis::scan);
        Map<String, String> bound = analysis.concreteTypes();
        ReflectConfig registered = ReflectConfig.fromRunnerJar(runnerJar);

        // The analysis must see what every service binds, or an empty result would pass.
        assertTrue(bound.containsKey("io.hookflow.common.error.ApiError"),
                service + ": the analysis did not find ApiError among " + bound.keySet());

        String missing = bound.entrySet().stream()
                .filter(type -> !registered.missingForBinding(type.getKey()).isEmpty())
                .map(type -> "  " + type.getKey() + ": " + String.join(", ", registered.missingForBinding(type.getKey()))
                        + " (bound by Jackson: " + type.getValue() + ")")
                .collect(Collectors.joining("\n"));
        if (!missing.isEmpty()) {
            fail(service + " binds types with Jackson that its native executable could not bind; annotate them with "
                    + "@RegisterForReflection:\n" + missing);
        }
    }

    private static List<Path> ourLibraries(Path lib) {
        try (Stream<Path> jars = Files.list(lib)) {
            // hookflow-common, as "io.hookflow.hookflow-common-<version>.jar" or, transformed, "modified-io.hookflow...".
            return jars.filter(jar -> jar.getFileName().toString().contains("io.hookflow.")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path only(Path directory, String glob) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException("no " + directory + ": the service's package phase writes it (run "
                    + "./mvnw verify without -Dhookflow.native-sources.skip)");
        }
        try (var found = Files.newDirectoryStream(directory, glob)) {
            List<Path> paths = new java.util.ArrayList<>();
            found.forEach(paths::add);
            if (paths.size() != 1) {
                throw new IllegalStateException("expected one " + glob + " in " + directory + ", found " + paths);
            }
            return paths.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path projectRoot() {
        return Path.of(System.getProperty("hookflow.project.root", "../.."));
    }
}
