package io.hookflow.delivery.dispatch;

import io.hookflow.delivery.config.DeliveryConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Sends one HTTP request without blocking a thread, keeping only the start of the response body. */
@ApplicationScoped
public class HttpSender {

    private final HttpClient client;
    private final Context context;
    private final long readTimeoutMillis;
    private final int bodyLimit;

    HttpSender(Vertx vertx, DeliveryConfig config) {
        this.client = vertx.createHttpClient(
                new HttpClientOptions()
                        .setConnectTimeout((int) config.connectTimeout().toMillis())
                        .setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(config.maxInFlight()));
        this.readTimeoutMillis = config.readTimeout().toMillis();
        this.bodyLimit = config.responseBodyLimit();
        this.context = vertx.getOrCreateContext();
    }

    public Future<HttpResult> send(String method, String url, Map<String, String> headers, String body) {
        // Sent from one Vert.x context: called from a plain thread, the callbacks below could run after a short response
        // had already ended, and setting its handlers then fails with "Response already ended".
        Promise<HttpResult> result = Promise.promise();
        context.runOnContext(ignored -> sendOnContext(method, url, headers, body).onComplete(result));
        return result.future();
    }

    private Future<HttpResult> sendOnContext(String method, String url, Map<String, String> headers, String body) {
        long started = System.nanoTime();
        RequestOptions options;
        try {
            options = new RequestOptions()
                    .setMethod(HttpMethod.valueOf(method.toUpperCase(Locale.ROOT)))
                    .setAbsoluteURI(url)
                    // Redirects are recorded as the answer, never followed: a 3xx could point anywhere.
                    .setFollowRedirects(false)
                    .setIdleTimeout(readTimeoutMillis);
            headers.forEach(options::putHeader);
        } catch (RuntimeException e) {
            return Future.succeededFuture(HttpResult.error("invalid request: " + e.getMessage(), 0));
        }
        Buffer payload = body == null ? Buffer.buffer() : Buffer.buffer(body.getBytes(StandardCharsets.UTF_8));
        return client.request(options)
                .compose(request -> request.send(payload))
                .compose(response -> readLimited(response, started))
                .recover(failure -> Future.succeededFuture(HttpResult.error(describe(failure), millisSince(started))));
    }

    private Future<HttpResult> readLimited(HttpClientResponse response, long started) {
        Promise<HttpResult> result = Promise.promise();
        Buffer kept = Buffer.buffer();
        response.handler(chunk -> {
            int room = bodyLimit - kept.length();
            if (room > 0) {
                kept.appendBuffer(chunk, 0, Math.min(room, chunk.length()));
            }
        });
        response.exceptionHandler(result::tryFail);
        response.endHandler(done -> {
            Map<String, String> headers = new LinkedHashMap<>();
            response.headers().names().forEach(name ->
                    headers.put(name.toLowerCase(Locale.ROOT), String.join(", ", response.headers().getAll(name))));
            result.tryComplete(HttpResult.response(response.statusCode(), headers,
                    kept.toString(StandardCharsets.UTF_8), millisSince(started)));
        });
        return result.future();
    }

    static String describe(Throwable failure) {
        String detail = failure.getMessage() == null ? "" : ": " + failure.getMessage();
        if (failure instanceof UnknownHostException) {
            return "DNS lookup failed" + detail;
        }
        if (failure instanceof ConnectException) {
            return "connection failed" + detail;
        }
        if (failure instanceof SSLException) {
            return "TLS failed" + detail;
        }
        if (failure instanceof TimeoutException || (failure.getMessage() != null && failure.getMessage().contains("timeout"))) {
            return "timed out" + detail;
        }
        return "request failed" + detail;
    }

    private static long millisSince(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
