package io.hookflow.k8scheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * What the check renders: the base, every overlay, and every component on top of the prod overlay, alone and all
 * together. New overlays and components under k8s/ are picked up without changing the check.
 */
final class Rendering {

    static final YAMLMapper YAML = new YAMLMapper();
    private static final Map<String, List<ObjectNode>> RENDERED = new ConcurrentHashMap<>();

    /** A name for the test report and the kustomization directory to render. */
    record Case(String name, Path kustomization) {
        @Override
        public String toString() {
            return name;
        }
    }

    private Rendering() {
    }

    static List<Case> cases() {
        Path k8s = k8s();
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("base", k8s.resolve("base")));
        List<Path> overlays = subdirectories(k8s.resolve("overlays"));
        overlays.forEach(overlay -> cases.add(new Case("overlays/" + overlay.getFileName(), overlay)));
        List<Path> components = subdirectories(k8s.resolve("components"));
        for (Path component : components) {
            cases.add(withComponents("prod+" + component.getFileName(), List.of(component)));
        }
        cases.add(withComponents("prod+all-components", components));
        return cases;
    }

    /** The case by name, e.g. "overlays/prod" or "prod+all-components". */
    static Case named(String name) {
        return cases().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no case " + name));
    }

    /** Every object the case renders, rendered once per test run. */
    static List<ObjectNode> objects(Case renderCase) {
        return RENDERED.computeIfAbsent(renderCase.name(), name -> parse(Kubectl.kustomize(renderCase.kustomization())));
    }

    static List<ObjectNode> parse(String yaml) {
        try {
            List<ObjectNode> objects = new ArrayList<>();
            for (JsonNode document : YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
                if (document instanceof ObjectNode object) {
                    objects.add(object);
                }
            }
            return objects;
        } catch (IOException e) {
            throw new UncheckedIOException("kubectl kustomize printed YAML that does not parse", e);
        }
    }

    static Stream<ObjectNode> ofKind(List<ObjectNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText()));
    }

    static ObjectNode named(List<ObjectNode> objects, String kind, String name) {
        return ofKind(objects, kind).filter(o -> name.equals(o.path("metadata").path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " rendered"));
    }

    static Path projectRoot() {
        return Path.of(System.getProperty("hookflow.project.root", "../..")).toAbsolutePath().normalize();
    }

    private static Path k8s() {
        return projectRoot().resolve("k8s");
    }

    /**
     * Kustomize refuses absolute paths, so each combination is a kustomization of its own under target/, naming the
     * prod overlay and the components by relative paths.
     */
    private static Case withComponents(String name, List<Path> components) {
        Path directory = Path.of("target", "kustomize-cases", name).toAbsolutePath();
        StringBuilder kustomization = new StringBuilder("""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - %s
                components:
                """.formatted(directory.relativize(k8s().resolve("overlays/prod"))));
        components.forEach(c -> kustomization.append("  - ").append(directory.relativize(c)).append('\n'));
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("kustomization.yaml"), kustomization);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Case(name, directory);
    }

    private static List<Path> subdirectories(Path directory) {
        try (Stream<Path> children = Files.list(directory)) {
            return children.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
