package io.hookflow.delivery;

import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP targets on loopback, each on its own port and so its own destination, that hold every request open until the
 * test releases it, and count how many they hold at once across all of them. A limit on requests in flight is proven
 * without a stopwatch: no request is answered before the test says so, so one sent beyond the limit is held alongside
 * the others and raises {@link #mostHeldAtOnce()}, whenever it was sent.
 */
public final class HoldingTargets implements AutoCloseable {

    private final List<HttpServer> servers = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "holding-target");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger holding = new AtomicInteger();
    private final AtomicInteger mostHeldAtOnce = new AtomicInteger();
    private final Map<Integer, AtomicInteger> receivedByTarget = new ConcurrentHashMap<>();
    /** Opened by a release and replaced by a closed one, so requests arriving after a release wait for the next. */
    private CountDownLatch gate = new CountDownLatch(1);
    private boolean closed;

    private HoldingTargets() {
    }

    /** Starts {@code count} targets on free loopback ports. */
    public static HoldingTargets start(int count) {
        HoldingTargets targets = new HoldingTargets();
        try {
            for (int target = 0; target < count; target++) {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
                int index = target;
                server.createContext("/", exchange -> targets.hold(index, exchange));
                server.setExecutor(targets.threads);
                server.start();
                targets.servers.add(server);
            }
        } catch (IOException e) {
            targets.close();
            throw new UncheckedIOException("could not start the holding targets", e);
        }
        return targets;
    }

    /** The URL of the path on the given target (0-based). */
    public String url(int target, String path) {
        return "http://127.0.0.1:" + servers.get(target).getAddress().getPort() + path;
    }

    /** Requests held open right now, over all targets. */
    public int holding() {
        return holding.get();
    }

    /** The most requests held open at one moment so far, over all targets. */
    public int mostHeldAtOnce() {
        return mostHeldAtOnce.get();
    }

    /** Requests all targets have received so far, answered or not. */
    public int received() {
        return receivedByTarget.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Requests the given target has received so far, answered or not. */
    public int received(int target) {
        return receivedByTarget.computeIfAbsent(target, ignored -> new AtomicInteger()).get();
    }

    /** Answers (200) every request held so far; requests that arrive afterwards are held until the next release. */
    public synchronized void releaseHeld() {
        gate.countDown();
        if (!closed) {
            gate = new CountDownLatch(1);
        }
    }

    /**
     * Lets {@code total} requests through in rounds: waits until the next {@code roundSize} (or what is left) have
     * arrived and are all held, releases them, and so on. Every request is held until its round is released, so the
     * limit that makes the rounds is checked while draining too, by {@link #mostHeldAtOnce()}.
     */
    public void releaseInRounds(int total, int roundSize) {
        int released = 0;
        while (released < total) {
            int round = Math.min(roundSize, total - released);
            int upTo = released + round;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .failFast("more than " + roundSize + " requests held at once", () -> mostHeldAtOnce() > roundSize)
                    .until(() -> received() == upTo && holding() == round);
            releaseHeld();
            released = upTo;
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            gate.countDown();
        }
        servers.forEach(server -> server.stop(0));
        threads.shutdownNow();
    }

    private void hold(int target, HttpExchange exchange) throws IOException {
        CountDownLatch waitFor;
        // Counted and given its gate in one step: a release answers exactly the requests counted before it.
        synchronized (this) {
            waitFor = gate;
            mostHeldAtOnce.accumulateAndGet(holding.incrementAndGet(), Math::max);
        }
        receivedByTarget.computeIfAbsent(target, ignored -> new AtomicInteger()).incrementAndGet();
        try {
            exchange.getRequestBody().readAllBytes();
            waitFor.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // No longer held before the answer goes out: the sender may start its next request as soon as it has the
            // answer, and that one must not be counted as held beside this one.
            holding.decrementAndGet();
        }
        try {
            exchange.sendResponseHeaders(200, -1);
        } finally {
            exchange.close();
        }
    }
}
