package io.hookflow.delivery.attempt;

import io.hookflow.delivery.http.HttpResult;

import io.hookflow.delivery.config.DeliveryConfig;
import io.hookflow.delivery.destination.Destination;
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
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.ConnectException;
import java.net.InetSocketAddress;
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

    /** The longest connect timeout a rule may ask for: beyond it a target is down, not slow. */
    public static final int MAX_CONNECT_TIMEOUT_SECONDS = io.hookflow.common.event.OutboundRequest.MAX_CONNECT_TIMEOUT_SECONDS;

    private final HttpClient client;
    private final Context context;
    private final long connectTimeoutMillis;
    private final long readTimeoutMillis;
    private final long leaseMillis;
    private final int bodyLimit;

    HttpSender(Vertx vertx, DeliveryConfig config) {
        this.client = vertx.createHttpClient(
                new HttpClientOptions()
                        // Each request sets its own connect timeout (the rule's or the default); this is only the ceiling.
                        .setConnectTimeout(MAX_CONNECT_TIMEOUT_SECONDS * 1000)
                        .setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(config.maxInFlight()));
        this.connectTimeoutMillis = config.connectTimeout().toMillis();
        this.readTimeoutMillis = config.readTimeout().toMillis();
        this.leaseMillis = config.lease().toMillis();
        this.bodyLimit = config.responseBodyLimit();
        this.context = vertx.getOrCreateContext();
    }

    /**
     * Sends the request to the address the guard checked, never to a fresh DNS answer (no DNS rebinding); the Host header
     * and the TLS server name still come from the URL.
     */
    public Future<HttpResult> send(PreparedRequest request, Destination.Allowed destination) {
        // Sent from one Vert.x context: called from a plain thread, the callbacks below could run after a short response
        // had already ended, and setting its handlers then fails with "Response already ended".
        Promise<HttpResult> result = Promise.promise();
        context.runOnContext(ignored -> sendOnContext(request, destination).onComplete(result));
        return result.future();
    }

    /** The action's connect timeout if it set one, within 1 s to 60 s. */
    long connectTimeoutMillis(Integer connectTimeoutSeconds) {
        if (connectTimeoutSeconds == null || connectTimeoutSeconds <= 0) {
            return connectTimeoutMillis;
        }
        return Math.min(connectTimeoutSeconds, MAX_CONNECT_TIMEOUT_SECONDS) * 1000L;
    }

    /**
     * The action's read timeout if it set one, but never so long that the lease could expire mid-attempt: connect plus
     * read must end before the lease does, or a slow attempt could be taken over and sent twice.
     */
    long readTimeoutMillis(Integer timeoutSeconds, Integer connectTimeoutSeconds) {
        long max = Math.max(1000, leaseMillis - connectTimeoutMillis(connectTimeoutSeconds) - 1000);
        long wanted = timeoutSeconds == null || timeoutSeconds <= 0 ? readTimeoutMillis : timeoutSeconds * 1000L;
        return Math.min(wanted, max);
    }

    private Future<HttpResult> sendOnContext(PreparedRequest request, Destination.Allowed destination) {
        long started = System.nanoTime();
        RequestOptions options;
        try {
            options = new RequestOptions()
                    .setMethod(HttpMethod.valueOf(request.method().toUpperCase(Locale.ROOT)))
                    .setSsl(destination.tls())
                    .setHost(destination.host())
                    .setPort(destination.port())
                    .setURI(destination.pathAndQuery())
                    .setServer(SocketAddress.inetSocketAddress(
                            new InetSocketAddress(destination.address(), destination.port())))
                    // Redirects are recorded as the answer, never followed: a 3xx could point anywhere.
                    .setFollowRedirects(false)
                    .setConnectTimeout(connectTimeoutMillis(request.connectTimeoutSeconds()))
                    .setIdleTimeout(readTimeoutMillis(request.timeoutSeconds(), request.connectTimeoutSeconds()));
            request.headers().forEach(options::putHeader);
        } catch (RuntimeException e) {
            return Future.succeededFuture(HttpResult.error("invalid request: " + e.getMessage(), 0));
        }
        String body = request.body();
        Buffer payload = body == null ? Buffer.buffer() : Buffer.buffer(body.getBytes(StandardCharsets.UTF_8));
        return client.request(options)
                .compose(sending -> sending.send(payload))
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
