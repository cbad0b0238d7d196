package io.hookflow.e2e.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fills {@code @{...}} placeholders in corpus text, producing bytes so a case can carry bytes that are not text:
 * <ul>
 *   <li>{@code @{name}}: a value from the setup phase or captured from an earlier answer (an unknown name fails the
 *       case rather than sending the literal);</li>
 *   <li>{@code @{hex:ff fe}}: raw bytes (invalid UTF-8, NUL, bare CR);</li>
 *   <li>{@code @{gen:kind:n}}: big or deep content, so the corpus stays small on disk: {@code big-string:n} (n x
 *       "a"), {@code nested-json:n} (n objects deep), {@code nested-array:n}, {@code nested-yaml:n} (block mappings,
 *       indented), {@code nested-yaml-flow:n}, {@code billion-laughs:n} (n levels of ten aliases each),
 *       {@code many-keys:n} (n members of a JSON object, without braces), {@code repeat:n:text}.</li>
 * </ul>
 * {@code @{...}} was chosen because neither Jinja ({@code {{ }}}), Pact ({@code ${}}) nor YAML merge keys
 * ({@code <<}) use it, and the corpus is full of those.
 */
public final class Placeholders {

    private final Map<String, String> values = new ConcurrentHashMap<>();

    public void put(String name, String value) {
        values.put(name, value);
    }

    public String get(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalStateException("no value for placeholder @{" + name + "}");
        }
        return value;
    }

    public byte[] bytes(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int position = 0;
        while (position < text.length()) {
            int start = text.indexOf("@{", position);
            if (start < 0) {
                out.writeBytes(text.substring(position).getBytes(StandardCharsets.UTF_8));
                break;
            }
            int end = text.indexOf('}', start);
            if (end < 0) {
                throw new IllegalArgumentException("unclosed placeholder in: " + text);
            }
            out.writeBytes(text.substring(position, start).getBytes(StandardCharsets.UTF_8));
            out.writeBytes(expand(text.substring(start + 2, end)));
            position = end + 1;
        }
        return out.toByteArray();
    }

    /** For the request line and header lines: every byte becomes one ISO-8859-1 char, so it goes out unchanged. */
    public String wire(String text) {
        return new String(bytes(text), StandardCharsets.ISO_8859_1);
    }

    private byte[] expand(String placeholder) {
        if (placeholder.startsWith("hex:")) {
            return HexFormat.of().parseHex(placeholder.substring(4).replace(" ", ""));
        }
        if (placeholder.startsWith("gen:")) {
            String[] parts = placeholder.substring(4).split(":", 3);
            int n = Integer.parseInt(parts[1]);
            return generate(parts[0], n, parts.length > 2 ? parts[2] : "").getBytes(StandardCharsets.UTF_8);
        }
        return get(placeholder).getBytes(StandardCharsets.UTF_8);
    }

    static String generate(String kind, int n, String text) {
        return switch (kind) {
            case "big-string" -> "a".repeat(n);
            case "nested-json" -> "{\"a\":".repeat(n) + "1" + "}".repeat(n);
            case "nested-array" -> "[".repeat(n) + "1" + "]".repeat(n);
            case "nested-yaml" -> nestedYaml(n);
            case "nested-yaml-flow" -> "{a: ".repeat(n) + "1" + "}".repeat(n);
            case "billion-laughs" -> billionLaughs(n);
            case "many-keys" -> manyKeys(n);
            case "repeat" -> text.repeat(n);
            default -> throw new IllegalArgumentException("unknown generator " + kind);
        };
    }

    /**
     * n levels of block mappings, each indented two more spaces, meant to follow {@code body:} of a rule's
     * {@code action.parameters} (which sits 4 spaces deep), so the first level starts at 6.
     */
    private static String nestedYaml(int n) {
        StringBuilder yaml = new StringBuilder();
        for (int level = 0; level < n; level++) {
            yaml.append("\n").append("  ".repeat(level + 3)).append("a:");
        }
        return yaml.append(" 1").toString();
    }

    /**
     * Anchors l0..ln, each a list of ten aliases of the one before: 10^n strings once expanded. Lines are indented 6
     * spaces, to be the members of a rule's {@code action.parameters.body}.
     */
    private static String billionLaughs(int n) {
        StringBuilder yaml = new StringBuilder("\n      l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int level = 1; level <= n; level++) {
            String previous = "*l" + (level - 1);
            yaml.append("      l").append(level).append(": &l").append(level).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(10, previous))).append("]\n");
        }
        return yaml.toString();
    }

    private static String manyKeys(int n) {
        StringBuilder json = new StringBuilder();
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        return json.toString();
    }
}
