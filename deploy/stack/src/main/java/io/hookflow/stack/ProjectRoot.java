package io.hookflow.stack;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the Hookflow checkout when no build-provided path is at hand (the local runner, an IDE run). */
final class ProjectRoot {

    private ProjectRoot() {
    }

    /** The system property hookflow.project.root, else the nearest directory upwards from here holding the root pom. */
    static Path find() {
        String configured = System.getProperty("hookflow.project.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("deploy/kafka-broker"))) {
                return dir;
            }
        }
        throw new IllegalStateException("not inside the Hookflow project (no deploy/kafka-broker above "
                + Path.of("").toAbsolutePath() + "); set -Dhookflow.project.root");
    }
}
