package io.hookflow.console;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An HTTP server standing in for ingest and rules, to see what the console's proxy forwards and returns; delivery
 * points to a port where nothing listens. (The console against the real services is proven in e2e-tests' ConsoleIT.)
 */
public class FakeServices implements QuarkusTestResourceLifecycleManager {

    /** What the fake service received last: method, URI, headers and body. */
    record Received(String method, String uri, Map<String, String> headers, String body) {
    }

    static final AtomicReference<Received> LAST = new AtomicReference<>();
    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            request.headers().forEach(header -> headers.put(header.getKey(), header.getValue()));
            LAST.set(new Received(request.method().name(), request.uri(), headers, body.toString()));
            if (request.path().endsWith("/refused")) {
                request.response().setStatusCode(401).putHeader("Content-Type", "application/json")
                        .end("{\"error\":\"unauthorized\",\"message\":\"invalid API key\",\"details\":[]}");
                return;
            }
            request.response().setStatusCode(201).putHeader("Content-Type", "application/json")
                    .putHeader("Location", "/api/v1/rules/a.b")
                    .end("{\"echo\":" + io.vertx.core.json.Json.encode(body.toString()) + "}");
        }));
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            int closedPort;
            try (ServerSocket socket = new ServerSocket(0)) {
                closedPort = socket.getLocalPort();
            }
            String url = "http://127.0.0.1:" + server.actualPort();
            return Map.of("hookflow.console.ingest-url", url + "/gateway/",
                    "hookflow.console.rules-url", url,
                    "hookflow.console.delivery-url", "http://127.0.0.1:" + closedPort,
                    "hookflow.console.public-ingest-url", "https://hooks.example.com/");
        } catch (Exception e) {
            throw new IllegalStateException("could not start the fake services", e);
        }
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
