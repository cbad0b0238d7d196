package io.hookflow.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP load balancer for the replicas of one service on this machine, as a Kubernetes Service is for its pods:
 * one stable port, requests spread round-robin over the replicas whose readiness answers 200 (polled every
 * {@link #READINESS_POLL}), so a replica that is draining (readiness down first) stops getting new requests. A request
 * that could not reach a replica at all (connection refused) goes to the next one; one that reached a replica and then
 * failed is answered 502, since the replica may have acted on it.
 */
public final class RoundRobinProxy implements AutoCloseable {

    static final Duration READINESS_POLL = Duration.ofMillis(250);
    /** Longer than any request the services answer slowly on purpose (ingest waits up to 10 s for the broker). */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** Set by the client or the server for this hop only, or computed by the JDK client itself. */
    static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
            "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect", "date");

    private final HttpServer server;
    private final ExecutorService workers;
    private final ScheduledExecutorService readinessPoller;
    private final HttpClient client;
    private final List<String> backends = new CopyOnWriteArrayList<>();
    private final Map<String, Boolean> ready = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();

    private RoundRobinProxy(HttpServer server, ExecutorService workers, ScheduledExecutorService readinessPoller,
                            HttpClient client) {
        this.server = server;
        this.workers = workers;
        this.readinessPoller = readinessPoller;
        this.client = client;
    }

    /** Listens on the port (0 = any free one) of every interface, as the services do, in front of the base URLs. */
    public static RoundRobinProxy start(int port, List<String> backendBaseUrls) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(port), 200);
            ExecutorService workers = Executors.newFixedThreadPool(64, daemon("proxy-" + port));
            ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(daemon("proxy-readiness-" + port));
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(2)).build();
            RoundRobinProxy proxy = new RoundRobinProxy(server, workers, poller, client);
            proxy.backends.addAll(backendBaseUrls);
            proxy.pollReadiness();
            server.createContext("/", proxy::handle);
            server.setExecutor(workers);
            server.start();
            poller.scheduleWithFixedDelay(proxy::pollReadiness, READINESS_POLL.toMillis(), READINESS_POLL.toMillis(),
                    TimeUnit.MILLISECONDS);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the load balancer on port " + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** A replica that moved to another port. */
    public void replaceBackend(String old, String replacement) {
        backends.replaceAll(backend -> backend.equals(old) ? replacement : backend);
        ready.remove(old);
    }

    /** The replicas now taking requests. */
    public List<String> readyBackends() {
        return backends.stream().filter(backend -> ready.getOrDefault(backend, false)).toList();
    }

    @Override
    public void close() {
        readinessPoller.shutdownNow();
        server.stop(0);
        workers.shutdownNow();
    }

    @Override
    public String toString() {
        return "RoundRobinProxy[" + baseUrl() + " -> " + backends + "]";
    }

    private void pollReadiness() {
        for (String backend : backends) {
            HttpRequest probe = HttpRequest.newBuilder(URI.create(backend + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(1)).build();
            boolean up;
            try {
                up = client.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                up = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            ready.put(backend, up);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            List<String> candidates = readyBackends();
            if (candidates.isEmpty()) {
                // Nothing reported ready (all starting or draining): try them all rather than refuse outright.
                candidates = List.copyOf(backends);
            }
            int first = Math.floorMod(next.getAndIncrement(), Math.max(1, candidates.size()));
            for (int i = 0; i < candidates.size(); i++) {
                String backend = candidates.get((first + i) % candidates.size());
                try {
                    HttpResponse<InputStream> response = client.send(forwarded(exchange, backend, body),
                            HttpResponse.BodyHandlers.ofInputStream());
                    relay(exchange, response);
                    return;
                } catch (ConnectException | HttpConnectTimeoutException notReached) {
                    // Nothing was sent to this replica: the next one may take the request.
                    ready.put(backend, false);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    answer(exchange, 503, "the load balancer is stopping");
                    return;
                } catch (IOException reachedThenFailed) {
                    answer(exchange, 502, "replica " + backend + " failed mid-request: " + reachedThenFailed);
                    return;
                }
            }
            answer(exchange, 503, "no replica of this service could be reached");
        }
    }

    private static HttpRequest forwarded(HttpExchange exchange, String backend, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(backend + exchange.getRequestURI().toString()))
                .timeout(REQUEST_TIMEOUT)
                .method(exchange.getRequestMethod(), body.length == 0 && !hasBody(exchange)
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        request.header("X-Forwarded-For", exchange.getRemoteAddress().getAddress().getHostAddress());
        return request.build();
    }

    private static boolean hasBody(HttpExchange exchange) {
        return exchange.getRequestHeaders().containsKey("Content-Length")
                || exchange.getRequestHeaders().containsKey("Transfer-Encoding");
    }

    private static void relay(HttpExchange exchange, HttpResponse<InputStream> response) throws IOException {
        response.headers().map().forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, values);
            }
        });
        try (InputStream in = response.body()) {
            byte[] bytes = in.readAllBytes();
            boolean empty = bytes.length == 0 || "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(response.statusCode(), empty ? -1 : bytes.length);
            if (!empty) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, String message) throws IOException {
        byte[] json = ("{\"error\":\"" + (status == 502 ? "bad_gateway" : "service_unavailable") + "\",\"message\":\""
                + message.replace("\\", "\\\\").replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (status == 503) {
            exchange.getResponseHeaders().set("Retry-After", "1");
        }
        exchange.sendResponseHeaders(status, json.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(json);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
