package io.hookflow.bench.e2e;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends webhooks to ingest at a fixed rate, open model: webhook i is due at start + i / rate whatever happened to the
 * ones before it. The sending thread never waits for an answer (the Vert.x client has a large connection pool and an
 * unbounded wait queue); when the machine stalls it sends what is overdue at once, and every latency is measured from
 * the planned time, so a stall shows up in the figures instead of silently lowering the rate (coordinated omission).
 */
final class OpenModelSender implements AutoCloseable {

    private final HttpClient client;
    private final String path;
    private final String apiKey;
    private final long timeoutMillis;
    private final boolean idempotencyKeys;

    OpenModelSender(Vertx vertx, int ingestPort, String path, String apiKey, int connections, Duration timeout,
                    boolean idempotencyKeys) {
        this.idempotencyKeys = idempotencyKeys;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                        .setDefaultHost("127.0.0.1").setDefaultPort(ingestPort),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
        this.path = path;
        this.apiKey = apiKey;
        this.timeoutMillis = timeout.toMillis();
    }

    /**
     * Sends step.capacity webhooks at step.rate per second from step.startNanos (or now, if unset); returns when the
     * last one has been sent.
     */
    void run(Step step) {
        if (step.startNanos == 0) {
            step.startNanos = System.nanoTime();
        }
        long start = step.startNanos;
        for (int i = 0; i < step.capacity; i++) {
            long due = start + i * 1_000_000_000L / step.rate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            send(step, i, due);
        }
        step.endNanos = start + step.capacity * 1_000_000_000L / step.rate;
    }

    /** One webhook with its planned time; the caller decides when (the single-webhook probes send one at a time). */
    void send(Step step, int index, long plannedNanos) {
        step.plan(index, plannedNanos);
        Buffer body = Buffer.buffer("{\"attribute1\": \"value1\", \"id\": \"" + step.id(index) + "\"}");
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
                .putHeader("Content-Type", "application/json").putHeader("St2-Api-Key", apiKey)
                // Both bound a request's life: waiting for a pooled connection, then waiting for the answer.
                .setConnectTimeout(timeoutMillis).setIdleTimeout(timeoutMillis);
        if (idempotencyKeys) {
            options.putHeader("Idempotency-Key", step.id(index));
        }
        client.request(options)
                .compose(request -> request.send(body))
                .compose(response -> response.body().map(ignored -> response.statusCode()))
                .onComplete(done -> {
                    if (done.succeeded()) {
                        step.answered(index, done.result(), System.nanoTime());
                    } else {
                        step.failed(index, String.valueOf(done.cause()), System.nanoTime());
                    }
                });
    }

    @Override
    public void close() {
        client.close();
    }
}
