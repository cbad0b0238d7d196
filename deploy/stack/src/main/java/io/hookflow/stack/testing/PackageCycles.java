package io.hookflow.stack.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The package graph of one service, read from its sources: package A depends on package B when a file of A imports,
 * or names fully qualified, a type of B (both below the service's root package). A cycle means two packages cannot be
 * read, changed or moved apart, so each service's tests fail on one. Reads text only (no compiler, no library):
 * comments and string literals are skipped, so a javadoc link or a log message is no dependency.
 *
 * <p>{@code main} prints the graph as a Mermaid diagram, or writes it into a document between the markers
 * {@code <!-- package-graph:NAME -->} and {@code <!-- /package-graph:NAME -->} (as docs/architecture.md holds one per
 * service), and {@link #assertDrawnIn} fails when that drawing no longer matches the code:
 * {@code java -cp deploy/stack/target/classes io.hookflow.stack.testing.PackageCycles rules-service/src/main/java io.hookflow.rules [docs/architecture.md rules-service]}
 */
public final class PackageCycles {

    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    private final String root;
    /** {@code root.pkg.sub.Type}, {@code root.pkg.sub.*}: imports, static ones included, and qualified names alike. */
    private final Pattern reference;
    /** package → package it depends on → one file that makes the dependency, to name in a failure. */
    private final Map<String, Map<String, String>> edges = new TreeMap<>();

    private PackageCycles(String root) {
        this.root = root;
        this.reference = Pattern.compile("\\b" + Pattern.quote(root) + "((?:\\.[a-z_]\\w*)*)\\.(?:[A-Z]|\\*)");
    }

    /** Reads every {@code .java} file below {@code sources} whose package is {@code rootPackage} or below it. */
    public static PackageCycles read(Path sources, String rootPackage) {
        PackageCycles graph = new PackageCycles(rootPackage);
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                graph.add(sources.relativize(file).toString(), Files.readString(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + sources, e);
        }
        return graph;
    }

    void add(String fileName, String source) {
        String code = withoutCommentsAndStrings(source);
        Matcher declared = PACKAGE.matcher(code);
        if (!declared.find() || !within(declared.group(1))) {
            return;
        }
        String from = name(declared.group(1));
        edges.computeIfAbsent(from, k -> new TreeMap<>());
        Matcher named = reference.matcher(code);
        while (named.find()) {
            String to = named.group(1).isEmpty() ? "(root)" : named.group(1).substring(1);
            if (!to.equals(from)) {
                edges.get(from).putIfAbsent(to, fileName);
                edges.computeIfAbsent(to, k -> new TreeMap<>());
            }
        }
    }

    /**
     * The cycles, each as its packages in order with the first repeated at the end: for every package caught in one, the
     * shortest cycle through it (so each mutual dependency is named, not only one per tangle). Empty when there is none.
     */
    public List<List<String>> cycles() {
        List<List<String>> cycles = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (Set<String> component : stronglyConnected()) {
            if (component.size() < 2) {
                continue;
            }
            for (String member : component) {
                // Found again from another of its packages, a cycle starts elsewhere: start each at its least package.
                List<String> cycle = fromLeast(shortestCycle(member, component));
                if (seen.add(cycle.toString())) {
                    cycles.add(cycle);
                }
            }
        }
        return cycles;
    }

    private static List<String> fromLeast(List<String> cycle) {
        List<String> ring = cycle.subList(0, cycle.size() - 1);
        int least = ring.indexOf(new TreeSet<>(ring).first());
        List<String> out = new ArrayList<>(ring.subList(least, ring.size()));
        out.addAll(ring.subList(0, least));
        out.add(out.get(0));
        return out;
    }

    /** Fails, naming every cycle and a file that makes each of its steps. */
    public void assertNoCycles() {
        List<List<String>> cycles = cycles();
        if (cycles.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder("package cycles below " + root + ":");
        for (List<String> cycle : cycles) {
            message.append("\n  ").append(String.join(" -> ", cycle));
            for (int i = 0; i + 1 < cycle.size(); i++) {
                message.append("\n    ").append(cycle.get(i)).append(" -> ").append(cycle.get(i + 1)).append(": ")
                        .append(edges.get(cycle.get(i)).get(cycle.get(i + 1)));
            }
        }
        throw new AssertionError(message.toString());
    }

    /** The graph as a Mermaid flowchart, packages and edges sorted so that the same code always prints the same text. */
    public String mermaid() {
        StringBuilder out = new StringBuilder("graph LR\n");
        edges.forEach((from, targets) -> {
            if (targets.isEmpty()) {
                out.append("  ").append(id(from)).append('\n');
            }
            targets.keySet().forEach(to -> out.append("  ").append(id(from)).append(" --> ").append(id(to)).append('\n'));
        });
        return out.toString();
    }

    /** Fails unless the document shows exactly this graph between the markers named {@code name}. */
    public void assertDrawnIn(Path document, String name) {
        String drawn = drawing(read(document), name);
        if (!drawn.equals(fenced())) {
            throw new AssertionError(document + " draws another package graph for " + name + " than the code has; "
                    + "regenerate it (see " + PackageCycles.class.getName() + "): expected\n" + fenced() + "\nbut found\n"
                    + drawn);
        }
    }

    /** Writes this graph into the document between the markers named {@code name}, replacing what was there. */
    public void drawIn(Path document, String name) {
        String text = read(document);
        String drawn = drawing(text, name);
        int at = text.indexOf(startMarker(name)) + startMarker(name).length();
        String updated = text.substring(0, at) + "\n" + fenced() + text.substring(at + 1 + drawn.length());
        try {
            Files.writeString(document, updated);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + document, e);
        }
    }

    private String fenced() {
        return "```mermaid\n" + mermaid() + "```\n";
    }

    private static String drawing(String text, String name) {
        int start = text.indexOf(startMarker(name));
        int end = text.indexOf("<!-- /package-graph:" + name + " -->");
        if (start < 0 || end < start) {
            throw new AssertionError("no package-graph markers for " + name);
        }
        // Between the start marker's line break and the end marker.
        return text.substring(start + startMarker(name).length() + 1, end);
    }

    private static String startMarker(String name) {
        return "<!-- package-graph:" + name + " -->";
    }

    private static String read(Path document) {
        try {
            return Files.readString(document);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + document, e);
        }
    }

    /** package → packages it depends on. */
    public Map<String, Set<String>> dependencies() {
        Map<String, Set<String>> out = new TreeMap<>();
        edges.forEach((from, targets) -> out.put(from, new TreeSet<>(targets.keySet())));
        return out;
    }

    private static String id(String pkg) {
        // Mermaid ids may not contain dots or parentheses; the label keeps the real name.
        String id = pkg.replaceAll("[^\\w]", "_");
        return id.equals(pkg) ? pkg : id + "[\"" + pkg + "\"]";
    }

    private boolean within(String pkg) {
        return pkg.equals(root) || pkg.startsWith(root + ".");
    }

    private String name(String pkg) {
        return pkg.equals(root) ? "(root)" : pkg.substring(root.length() + 1);
    }

    /** Tarjan's algorithm, iterating packages in name order so the output is stable. */
    private List<Set<String>> stronglyConnected() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> components = new ArrayList<>();
        for (String start : edges.keySet()) {
            if (!index.containsKey(start)) {
                connect(start, index, low, stack, onStack, components);
            }
        }
        return components;
    }

    private void connect(String node, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                         Set<String> onStack, List<Set<String>> components) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        onStack.add(node);
        for (String next : edges.get(node).keySet()) {
            if (!index.containsKey(next)) {
                connect(next, index, low, stack, onStack, components);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            components.add(component);
        }
    }

    /** A shortest way from the package back to itself, staying inside its component. */
    private List<String> shortestCycle(String start, Set<String> component) {
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String node = queue.poll();
            for (String next : edges.get(node).keySet()) {
                if (next.equals(start)) {
                    List<String> path = new ArrayList<>(List.of(start));
                    for (String at = node; !at.equals(start); at = cameFrom.get(at)) {
                        path.add(1, at);
                    }
                    path.add(start);
                    return path;
                }
                if (component.contains(next) && !cameFrom.containsKey(next)) {
                    cameFrom.put(next, node);
                    queue.add(next);
                }
            }
        }
        throw new IllegalStateException("a strongly connected component always has a cycle");
    }

    /** The code without comments, string and char literals and text blocks (each literal becomes an empty one). */
    static String withoutCommentsAndStrings(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                while (i < n && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                while (end > 0 && source.charAt(end - 1) == '\\') {
                    end = source.indexOf("\"\"\"", end + 1);
                }
                i = end < 0 ? n : end + 3;
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && source.charAt(j) != c && source.charAt(j) != '\n') {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                i = j + 1;
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /**
     * Prints the Mermaid diagram of {@code args[0]} (a source folder) below root package {@code args[1]}, and its cycles;
     * with {@code args[2]} (a document) and {@code args[3]} (a name), writes it there instead.
     */
    public static void main(String[] args) {
        PackageCycles graph = read(Path.of(args[0]), args[1]);
        if (args.length > 3) {
            graph.drawIn(Path.of(args[2]), args[3]);
        } else {
            System.out.print(graph.mermaid());
        }
        for (List<String> cycle : graph.cycles()) {
            System.err.println("cycle: " + String.join(" -> ", cycle));
        }
    }
}
