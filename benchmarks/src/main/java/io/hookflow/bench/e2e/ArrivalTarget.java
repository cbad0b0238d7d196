package io.hookflow.bench.e2e;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The rule's destination: a Vert.x server on loopback in the benchmark's JVM that answers 200 at once and notes when
 * each webhook id arrived (System.nanoTime, the same clock the sender plans with, so arrival - planned send is exact).
 */
final class ArrivalTarget implements AutoCloseable {

    static final String PATH = "/e2e";

    private final Map<String, Step> steps = new ConcurrentHashMap<>();
    /** Requests whose id names no step, or no id at all: should stay 0 once the rule is the benchmark's. */
    final AtomicInteger unknown = new AtomicInteger();
    private final HttpServer server;

    private ArrivalTarget(HttpServer server) {
        this.server = server;
    }

    static ArrivalTarget start(Vertx vertx) throws Exception {
        HttpServer server = vertx.createHttpServer();
        ArrivalTarget target = new ArrivalTarget(server);
        server.requestHandler(request -> request.body().onComplete(body -> {
            long now = System.nanoTime();
            if (body.succeeded()) {
                target.record(body.result(), now);
            }
            request.response().setStatusCode(200).end();
        }));
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return target;
    }

    /** Where the rule's core.http action posts to. */
    String url() {
        return "http://127.0.0.1:" + server.actualPort() + PATH;
    }

    void expect(Step step) {
        steps.put(step.key, step);
    }

    private void record(Buffer body, long now) {
        String id = idOf(body.toString(StandardCharsets.UTF_8));
        int dash = id == null ? -1 : id.lastIndexOf('-');
        Step step = dash > 0 ? steps.get(id.substring(0, dash)) : null;
        if (step == null) {
            unknown.incrementAndGet();
            return;
        }
        try {
            int index = Integer.parseInt(id.substring(dash + 1));
            if (index >= 0 && index < step.capacity) {
                step.arrived(index, now);
                return;
            }
        } catch (NumberFormatException e) {
            // counted below
        }
        unknown.incrementAndGet();
    }

    /**
     * The value of "id" in the rendered action body {@code {"attribute1": "value1", "id": "r3-1234"}}. Read by hand:
     * the ids are plain ASCII the benchmark made, and a JSON parser per request would be the target's main cost.
     */
    static String idOf(String json) {
        int key = json.indexOf("\"id\"");
        if (key < 0) {
            return null;
        }
        int open = json.indexOf('"', json.indexOf(':', key) + 1);
        int close = open < 0 ? -1 : json.indexOf('"', open + 1);
        return close < 0 ? null : json.substring(open + 1, close);
    }

    @Override
    public void close() {
        server.close();
    }
}
