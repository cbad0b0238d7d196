package io.hookflow.stack.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageCyclesTest {

    @TempDir
    Path sources;

    @Test
    void shouldFindImportsStaticImportsWildcardsAndQualifiedNames() throws IOException {
        write("a/A.java", "package x.a;\nimport x.b.B;\nimport static x.c.C.VALUE;\nclass A { x.d.D d; }");
        write("e/E.java", "package x.e;\nimport x.f.*;\nclass E {}");
        write("b/B.java", "package x.b;\nclass B {}");

        Map<String, Set<String>> graph = PackageCycles.read(sources, "x").dependencies();

        assertEquals(Set.of("b", "c", "d"), graph.get("a"));
        assertEquals(Set.of("f"), graph.get("e"));
        assertEquals(Set.of(), graph.get("b"));
    }

    @Test
    void shouldIgnoreCommentsStringsAndOtherRoots() throws IOException {
        write("a/A.java", """
                package x.a;
                import y.b.B;
                /** {@link x.b.B} */
                class A {
                    // x.c.C
                    String s = "x.d.D";
                    String t = \"""
                            x.e.E
                            \""";
                }""");

        assertEquals(Set.of(), PackageCycles.read(sources, "x").dependencies().get("a"));
    }

    @Test
    void shouldNameEveryCycleAndTheFilesThatMakeIt() throws IOException {
        write("a/A.java", "package x.a;\nimport x.b.B;\nclass A {}");
        write("b/B.java", "package x.b;\nimport x.a.A;\nimport x.c.C;\nclass B {}");
        write("c/C.java", "package x.c;\nimport x.b.B;\nclass C {}");
        write("d/D.java", "package x.d;\nimport x.a.A;\nclass D {}");

        PackageCycles graph = PackageCycles.read(sources, "x");

        assertEquals(List.of(List.of("a", "b", "a"), List.of("b", "c", "b")), graph.cycles());
        AssertionError failure = assertThrows(AssertionError.class, graph::assertNoCycles);
        assertTrue(failure.getMessage().contains("a -> b: a/A.java"), failure.getMessage());
        assertTrue(failure.getMessage().contains("c -> b: c/C.java"), failure.getMessage());
    }

    @Test
    void shouldPassAndDrawAGraphWithoutCycles() throws IOException {
        write("a/A.java", "package x.a;\nimport x.b.B;\nclass A {}");
        write("b/B.java", "package x.b;\nclass B {}");
        write("App.java", "package x;\nimport x.a.A;\nclass App {}");

        PackageCycles graph = PackageCycles.read(sources, "x");

        graph.assertNoCycles();
        assertEquals("graph LR\n  _root_[\"(root)\"] --> a\n  a --> b\n  b\n", graph.mermaid());
    }

    @Test
    void shouldDrawTheGraphIntoADocumentAndNoticeWhenTheCodeMovedOn() throws IOException {
        write("a/A.java", "package x.a;\nimport x.b.B;\nclass A {}");
        Path document = sources.resolve("doc.md");
        Files.writeString(document, "# Doc\n<!-- package-graph:x -->\nold\n<!-- /package-graph:x -->\nafter\n");

        PackageCycles.read(sources, "x").drawIn(document, "x");

        assertEquals("# Doc\n<!-- package-graph:x -->\n```mermaid\ngraph LR\n  a --> b\n  b\n```\n"
                + "<!-- /package-graph:x -->\nafter\n", Files.readString(document));
        PackageCycles.read(sources, "x").assertDrawnIn(document, "x");
        write("b/B.java", "package x.b;\nimport x.c.C;\nclass B {}");
        assertThrows(AssertionError.class, () -> PackageCycles.read(sources, "x").assertDrawnIn(document, "x"));
    }

    private void write(String name, String text) throws IOException {
        Path file = sources.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
