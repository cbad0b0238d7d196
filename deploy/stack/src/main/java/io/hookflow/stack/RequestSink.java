package io.hookflow.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/** A real HTTP target on loopback that records every request and answers with a status the caller chooses. */
public final class RequestSink implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final Consumer<RecordedRequest> listener;
    private final List<RecordedRequest> requests = new ArrayList<>();
    /** Requests answered with a 2xx: what a sender may count as delivered. */
    private final List<RecordedRequest> delivered = new ArrayList<>();
    private int returned;
    private volatile int status = 200;
    private final Map<String, Integer> statusByPathPrefix = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> holdsByPathPrefix = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, String> redirectByPathPrefix = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * What held requests wait on: {@link #releaseHeld()} opens it and puts a closed one in its place, so a request held
     * after a release waits again (a single latch would stay open and silently hold nothing after the first release).
     */
    private java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
    private boolean closed;

    private RequestSink(HttpServer server, ExecutorService executor, Consumer<RecordedRequest> listener) {
        this.server = server;
        this.executor = executor;
        this.listener = listener;
    }

    /** Starts on the port (0 = any free port). */
    public static RequestSink start(int port) {
        return start(port, request -> { });
    }

    /** Starts on the port and tells the listener about each request as it arrives. */
    public static RequestSink start(int port, Consumer<RecordedRequest> listener) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            // A thread per request in progress: held requests must not keep the others waiting.
            ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "request-sink");
                thread.setDaemon(true);
                return thread;
            });
            RequestSink sink = new RequestSink(server, executor, listener);
            server.createContext("/", sink::handle);
            server.setExecutor(executor);
            server.start();
            return sink;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the request sink on port " + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** http://127.0.0.1:port followed by the path (and query) given. */
    public String url(String pathAndQuery) {
        return "http://127.0.0.1:" + port() + pathAndQuery;
    }

    /** The status code for every request from now on. */
    public void respondWith(int status) {
        this.status = status;
    }

    /** The status code for requests whose path starts with the prefix, overriding {@link #respondWith(int)}. */
    public void respondWith(String pathPrefix, int status) {
        statusByPathPrefix.put(pathPrefix, status);
    }

    /**
     * The next {@code count} requests whose path starts with the prefix are recorded and then left without an answer
     * until {@link #releaseHeld()} or {@link #close()}: a target that hangs mid-request.
     */
    public void hold(String pathPrefix, int count) {
        holdsByPathPrefix.put(pathPrefix, new java.util.concurrent.atomic.AtomicInteger(count));
    }

    /**
     * Answers requests to paths starting with the prefix with {@code 302 Found} and this {@code Location}: a target that
     * redirects, to see whether the caller follows.
     */
    public void redirect(String pathPrefix, String location) {
        redirectByPathPrefix.put(pathPrefix, location);
    }

    /** Answers every request held so far; requests held after this wait for the next release. */
    public synchronized void releaseHeld() {
        released.countDown();
        if (!closed) {
            released = new java.util.concurrent.CountDownLatch(1);
        }
    }

    /** Requests whose path starts with the prefix, oldest first: lets tests share one sink by using their own paths. */
    public synchronized List<RecordedRequest> requestsTo(String pathPrefix) {
        return requests.stream().filter(request -> request.path().startsWith(pathPrefix)).toList();
    }

    /** The first request whose path starts with the prefix, waiting for it up to the timeout. */
    public synchronized RecordedRequest awaitRequestTo(String pathPrefix, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (requestsTo(pathPrefix).isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("no request to " + pathPrefix + " arrived at " + url("/")
                            + " within " + timeout + "; received so far: " + requests);
                }
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a request", e);
        }
        return requestsTo(pathPrefix).get(0);
    }

    /**
     * Requests whose path starts with the prefix that were answered with a 2xx, oldest first; a request recorded but
     * answered with an error, or never answered (held, its sender gave up), is not among them.
     */
    public synchronized List<RecordedRequest> deliveredTo(String pathPrefix) {
        return delivered.stream().filter(request -> request.path().startsWith(pathPrefix)).toList();
    }

    /** Forgets all recorded requests. */
    public synchronized void clear() {
        requests.clear();
        delivered.clear();
        returned = 0;
    }

    /** All requests since the last clear, oldest first. */
    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The oldest request not yet returned by this method, waiting for one up to the timeout. */
    public synchronized RecordedRequest awaitRequest(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (returned >= requests.size()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("no request arrived at " + url("/") + " within " + timeout
                            + "; received so far: " + requests);
                }
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a request", e);
        }
        return requests.get(returned++);
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            released.countDown();
        }
        server.stop(0);
        executor.shutdownNow();
    }

    private boolean shouldHold(String path) {
        return holdsByPathPrefix.entrySet().stream()
                .anyMatch(entry -> path.startsWith(entry.getKey()) && entry.getValue().getAndDecrement() > 0);
    }

    private String redirectFor(String path) {
        return redirectByPathPrefix.entrySet().stream()
                .filter(entry -> path.startsWith(entry.getKey()))
                .max(java.util.Comparator.comparingInt(entry -> entry.getKey().length()))
                .map(Map.Entry::getValue)
                .orElse(null);
    }

    private int statusFor(String path) {
        return statusByPathPrefix.entrySet().stream()
                .filter(entry -> path.startsWith(entry.getKey()))
                .max(java.util.Comparator.comparingInt(entry -> entry.getKey().length()))
                .map(Map.Entry::getValue)
                .orElse(status);
    }

    private void handle(HttpExchange exchange) throws IOException {
        // The status in force when the request arrived: a caller may change it as soon as it sees the request.
        int answer = statusFor(exchange.getRequestURI().getRawPath());
        RecordedRequest request;
        try {
            String query = exchange.getRequestURI().getRawQuery();
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) ->
                    headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
            request = new RecordedRequest(exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath() + (query != null ? "?" + query : ""),
                    headers, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            // Recorded before answering, so a caller that has seen the response always finds the request here. The
            // gate is taken at the same moment: a release by a caller who has seen the request always opens it.
            java.util.concurrent.CountDownLatch gate;
            synchronized (this) {
                requests.add(request);
                gate = released;
                notifyAll();
            }
            if (shouldHold(exchange.getRequestURI().getRawPath())) {
                try {
                    gate.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String location = redirectFor(exchange.getRequestURI().getRawPath());
            if (location != null) {
                exchange.getResponseHeaders().set("Location", location);
                answer = 302;
            }
            exchange.sendResponseHeaders(answer, -1);
            if (answer >= 200 && answer < 300) {
                synchronized (this) {
                    delivered.add(request);
                }
            }
        } finally {
            exchange.close();
        }
        listener.accept(request);
    }
}
