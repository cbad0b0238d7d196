package io.hookflow.e2e.hostile;

import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One request of the hostile corpus ({@code src/test/resources/hostile/*.json}) and what the service must answer.
 *
 * @param file           the corpus file it came from
 * @param name           unique across the corpus; the dynamic test's name
 * @param service        {@code ingest}, {@code rules} or {@code delivery}
 * @param target         the request target (path and query) as it goes on the wire, placeholders allowed
 * @param auth           which credential to send: see {@code Setup#credential}; {@code none} sends none
 * @param headers        header lines in order, sent verbatim (placeholders allowed)
 * @param body           the body text with placeholders and generators, or null
 * @param chunked        send the body with chunked transfer encoding
 * @param expect         the acceptable status codes; -1 is "the server closed the connection without an answer"
 * @param errorBody      whether a 4xx must carry the JSON error body (false only for refusals by the HTTP codec,
 *                       which answer before any of our code runs)
 * @param error          the expected {@code error} code of the error body, or null for any
 * @param contains       strings the answer's body must contain
 * @param ssrfRefused    the answer must be delivery's result of a send refused before connecting
 * @param capture        placeholder name to JSON path in the answer, for later cases
 * @param retrySeconds   retry for up to this long while the answer is not the expected one (propagation through
 *                       Kafka, e.g. a rule's webhook url reaching ingest)
 * @param sinkMustNotSee a header (lower case) no request to the RequestSink may carry afterwards
 * @param pending        why this case may fail until a named fix is merged (informational, still asserted)
 */
public record HostileCase(String file, String name, String service, String method, String target, String auth,
                          List<RawHttp.Header> headers, String body, boolean chunked, Set<Integer> expect,
                          boolean errorBody, String error, List<String> contains, boolean ssrfRefused,
                          Map<String, String> capture, int retrySeconds, String sinkMustNotSee, String pending) {

    static final Set<String> SERVICES = Set.of("ingest", "rules", "delivery");

    /** Every case of every corpus file, files in name order and cases in file order (later cases may use captures). */
    public static List<HostileCase> loadAll() {
        URL root = HostileCase.class.getClassLoader().getResource("hostile");
        if (root == null) {
            throw new IllegalStateException("no hostile/ corpus on the test classpath");
        }
        try (Stream<Path> files = Files.list(Path.of(root.toURI()))) {
            List<HostileCase> cases = new ArrayList<>();
            for (Path file : files.filter(path -> path.toString().endsWith(".json")).sorted().toList()) {
                cases.addAll(load(file));
            }
            Set<String> names = new java.util.HashSet<>();
            for (HostileCase hostile : cases) {
                if (!names.add(hostile.name())) {
                    throw new IllegalStateException("two corpus cases are named '" + hostile.name() + "'");
                }
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<HostileCase> load(Path file) throws IOException {
        String fileName = file.getFileName().toString();
        Map<String, Object> document = JsonPath.from(Files.readString(file, StandardCharsets.UTF_8)).getMap("$");
        List<HostileCase> cases = new ArrayList<>();
        for (Map<String, Object> raw : (List<Map<String, Object>>) document.get("cases")) {
            try {
                cases.add(of(fileName, raw));
            } catch (RuntimeException e) {
                throw new IllegalStateException(fileName + ": case " + raw.get("name") + ": " + e.getMessage(), e);
            }
        }
        return cases;
    }

    @SuppressWarnings("unchecked")
    private static HostileCase of(String file, Map<String, Object> raw) {
        String name = required(raw, "name");
        String service = required(raw, "service");
        if (!SERVICES.contains(service)) {
            throw new IllegalArgumentException("unknown service " + service);
        }
        List<RawHttp.Header> headers = new ArrayList<>();
        Object rawHeaders = raw.get("headers");
        if (rawHeaders instanceof Map<?, ?> map) {
            map.forEach((header, value) -> headers.add(new RawHttp.Header(header.toString(), value.toString())));
        } else if (rawHeaders instanceof List<?> list) {
            // A list of [name, value] pairs keeps duplicates and order: duplicate headers are part of the corpus.
            for (Object pair : list) {
                List<Object> entry = (List<Object>) pair;
                headers.add(new RawHttp.Header(entry.get(0).toString(), entry.get(1).toString()));
            }
        }
        Set<Integer> expect = new java.util.TreeSet<>();
        Object rawExpect = raw.get("expect");
        if (rawExpect instanceof Number number) {
            expect.add(number.intValue());
        } else if (rawExpect instanceof List<?> list) {
            list.forEach(status -> expect.add(((Number) status).intValue()));
        } else {
            throw new IllegalArgumentException("expect must be a status or a list of statuses");
        }
        Map<String, String> capture = new LinkedHashMap<>();
        if (raw.get("capture") instanceof Map<?, ?> map) {
            map.forEach((key, path) -> capture.put(key.toString(), path.toString()));
        }
        List<String> contains = raw.get("contains") instanceof List<?> list
                ? list.stream().map(Object::toString).toList()
                : raw.get("contains") instanceof String text ? List.of(text) : List.of();
        return new HostileCase(file, name, service, (String) raw.getOrDefault("method", "GET"), required(raw, "path"),
                (String) raw.getOrDefault("auth", "key"), List.copyOf(headers), (String) raw.get("body"),
                Boolean.TRUE.equals(raw.get("chunked")), Set.copyOf(expect), !Boolean.FALSE.equals(raw.get("errorBody")),
                (String) raw.get("error"), contains, Boolean.TRUE.equals(raw.get("ssrfRefused")), capture,
                raw.get("retrySeconds") instanceof Number seconds ? seconds.intValue() : 0,
                (String) raw.get("sinkMustNotSee"), (String) raw.get("pending"));
    }

    private static String required(Map<String, Object> raw, String field) {
        Object value = raw.get(field);
        if (!(value instanceof String text) || text.isEmpty()) {
            throw new IllegalArgumentException("'" + field + "' is required");
        }
        return text;
    }

    /** A one-line description for failure messages. */
    public String describe() {
        return "[" + file + "] " + name + ": " + method + " " + service + " " + target;
    }
}
