package io.hookflow.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * A real OTLP/HTTP trace endpoint for tests: accepts {@code POST /v1/traces} in the JSON encoding (what the services'
 * exporter sends), answers 200 with an empty {@code ExportTraceServiceResponse}, and keeps the newest {@value #KEPT}
 * spans it received (a whole end-to-end run traces every webhook).
 */
public final class OtlpReceiver implements AutoCloseable {

    /** One received span; ids as lower-case hex, {@code parentSpanId} empty for a root. */
    public record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name,
                               String kind, int statusCode, List<String> linkedTraceIds, JsonNode raw) {

        public boolean failed() {
            return statusCode == 2; // STATUS_CODE_ERROR
        }

        /** A string attribute's value, or null. */
        public String attribute(String key) {
            for (JsonNode attribute : raw.path("attributes")) {
                if (key.equals(attribute.path("key").asText())) {
                    JsonNode value = attribute.path("value");
                    return value.has("stringValue") ? value.get("stringValue").asText()
                            : value.has("intValue") ? value.get("intValue").asText() : value.toString();
                }
            }
            return null;
        }
    }

    static final int KEPT = 20_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final List<ReceivedSpan> spans = new ArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    public static OtlpReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            OtlpReceiver receiver = new OtlpReceiver(server);
            server.createContext("/v1/traces", receiver::handle);
            server.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
                Thread thread = new Thread(runnable, "otlp-receiver");
                thread.setDaemon(true);
                return thread;
            }));
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the OTLP receiver", e);
        }
    }

    /** The base URL to configure as the OTLP/HTTP endpoint. */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public synchronized List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    public synchronized List<ReceivedSpan> trace(String traceId) {
        return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
            if (!type.startsWith("application/json")) {
                exchange.sendResponseHeaders(415, -1); // this receiver speaks only the JSON encoding
                return;
            }
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            List<ReceivedSpan> received = new ArrayList<>();
            for (JsonNode resource : request.path("resourceSpans")) {
                String service = null;
                for (JsonNode attribute : resource.path("resource").path("attributes")) {
                    if ("service.name".equals(attribute.path("key").asText())) {
                        service = attribute.path("value").path("stringValue").asText();
                    }
                }
                for (JsonNode scope : resource.path("scopeSpans")) {
                    for (JsonNode span : scope.path("spans")) {
                        List<String> links = new ArrayList<>();
                        span.path("links").forEach(link -> links.add(link.path("traceId").asText()));
                        received.add(new ReceivedSpan(service, span.path("traceId").asText(),
                                span.path("spanId").asText(), span.path("parentSpanId").asText(""),
                                span.path("name").asText(), span.path("kind").asText(),
                                span.path("status").path("code").asInt(0), links, span));
                    }
                }
            }
            synchronized (this) {
                spans.addAll(received);
                if (spans.size() > KEPT) {
                    spans.subList(0, spans.size() - KEPT).clear();
                }
            }
            byte[] answer = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
