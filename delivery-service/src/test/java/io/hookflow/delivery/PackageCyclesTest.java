package io.hookflow.delivery;

import io.hookflow.stack.testing.PackageCycles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Packages that depend on each other cannot be understood or moved apart; docs/architecture.md draws the graph. */
class PackageCyclesTest {

    final PackageCycles graph = PackageCycles.read(Path.of("src/main/java"), "io.hookflow.delivery");

    @Test
    void shouldHaveNoPackageCycles() {
        graph.assertNoCycles();
    }

    @Test
    void shouldBeDrawnAsItIsInTheArchitectureDocs() {
        graph.assertDrawnIn(Path.of("../docs/architecture.md"), "delivery-service");
    }
}
