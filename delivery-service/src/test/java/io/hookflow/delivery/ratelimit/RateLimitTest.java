package io.hookflow.delivery.ratelimit;

import static io.hookflow.delivery.DeliveryTestSupport.api;
import static io.hookflow.delivery.DeliveryTestSupport.awaitStatus;
import static io.hookflow.delivery.DeliveryTestSupport.publish;
import static io.hookflow.delivery.DeliveryTestSupport.task;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.common.event.TaskIds;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The shared token buckets against the real PostgreSQL: the refill and grant arithmetic with explicit times, two
 * claimers sharing one bucket, what a 429 does and how the rate recovers, and the whole path through intake, claim and
 * send to real HTTP targets that note when each request arrived.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class RateLimitTest {

    static final String ORG = "default";
    static final String DESTINATION = RateLimitRepository.DESTINATION;

    @Inject
    RateLimitRepository buckets;
    @Inject
    RateLimits limits;

    @Test
    void shouldRefillByElapsedTimeAndGrantNoMoreThanIsAvailable() {
        String key = unique("arith");
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        inTx(() -> buckets.configure(ORG, DESTINATION, key, 2, 4, t0));

        Grant full = take(key, 10, t0);
        assertEquals(4, full.granted(), "a new bucket starts full: burst tokens");
        Grant empty = take(key, 10, t0);
        assertEquals(0, empty.granted());
        assertEquals(t0.plusMillis(500), empty.nextTokenAt(), "2 per second: the next token in half a second");
        assertEquals(3, take(key, 10, t0.plusMillis(1500)).granted(), "1.5 s at 2/s");
        assertEquals(1, take(key, 1, t0.plusMillis(2000)).granted(), "only what is wanted");
        assertEquals(4, take(key, 10, t0.plusSeconds(100)).granted(), "never more than burst, however long it was idle");
        assertEquals(0, take(key, 10, t0.plusSeconds(50)).granted(),
                "a claimer whose clock is behind refills nothing rather than twice");
    }

    @Test
    void shouldNeverGrantTwoConcurrentClaimersMoreThanTheBucketHolds() throws Exception {
        String key = unique("shared");
        double rate = 20;
        int burst = 5;
        Instant start = Instant.now();
        inTx(() -> buckets.configure(ORG, DESTINATION, key, rate, burst, start));
        AtomicInteger granted = new AtomicInteger();
        long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        ExecutorService replicas = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int replica = 0; replica < 2; replica++) {
                running.add(replicas.submit(() -> {
                    while (System.nanoTime() < until) {
                        granted.addAndGet(take(key, 3, Instant.now()).granted());
                    }
                }));
            }
            for (Future<?> replica : running) {
                replica.get();
            }
        } finally {
            replicas.shutdownNow();
        }
        double seconds = Duration.between(start, Instant.now()).toNanos() / 1e9;
        double most = burst + rate * seconds;
        assertTrue(granted.get() <= most, granted + " tokens granted in " + seconds + " s; at most " + most);
        assertTrue(granted.get() >= rate * seconds * 0.7, "and the limit is a rate, not a refusal: " + granted);
    }

    @Test
    void shouldHalveTheRateOnA429OnceAndClimbBackByATenthPerTenSecondsWithoutOne() {
        String key = unique("halve");
        Instant t0 = Instant.parse("2026-01-02T00:00:00Z");
        inTx(() -> buckets.configure(ORG, DESTINATION, key, 10, 10, t0));
        inTx(() -> limits.tooManyRequests(ORG, key, null, t0));
        inTx(() -> limits.tooManyRequests(ORG, key, null, t0.plusMillis(300)));
        assertEquals(5, find(key, t0.plusMillis(400)).currentPerSecond(), 1e-9,
                "halved once: answers of the same second were all sent at the old rate");
        assertNull(find(key, t0.plusMillis(400)).pausedUntil(), "no Retry-After, no pause");
        assertEquals(10, find(key, t0).perSecond(), "the configured limit stays as set");
        assertEquals(5, find(key, t0.plusSeconds(9)).currentPerSecond(), 1e-9);
        assertEquals(6, find(key, t0.plusSeconds(10)).currentPerSecond(), 1e-9);
        assertEquals(8, find(key, t0.plusSeconds(35)).currentPerSecond(), 1e-9);
        assertEquals(10, find(key, t0.plusSeconds(120)).currentPerSecond(), 1e-9, "back to the limit, no further");

        inTx(() -> limits.tooManyRequests(ORG, key, null, t0.plusSeconds(20)));
        assertEquals(3.5, find(key, t0.plusSeconds(20)).currentPerSecond(), 1e-9, "half of the 7 it had climbed to");
    }

    @Test
    void shouldPauseADestinationWithoutALimitForRetryAfterAndForgetItOnceRecovered() {
        String key = unique("pause");
        Instant t0 = Instant.parse("2026-01-03T00:00:00Z");
        inTx(() -> limits.tooManyRequests(ORG, key, Duration.ofSeconds(2), t0));
        RateLimit adaptive = find(key, t0.plusSeconds(1));
        assertNull(adaptive.perSecond(), "no configured limit: an adaptive bucket");
        assertEquals(5, adaptive.currentPerSecond(), 1e-9, "the adaptive start (10/s), halved");
        assertEquals(t0.plusSeconds(2), adaptive.pausedUntil());

        Grant paused = take(key, 5, t0.plusMillis(1999));
        assertEquals(0, paused.granted(), "nothing while paused");
        assertFalse(paused.nextTokenAt().isBefore(t0.plusSeconds(2)), "and no token before the pause ends");
        assertEquals(0, take(key, 5, t0.plusMillis(2100)).granted(), "tokens accrue from the pause's end: 0.5");
        assertEquals(1, take(key, 5, t0.plusMillis(2200)).granted());

        inTx(() -> buckets.forgetRecovered(t0.plusSeconds(30)));
        assertNotNull(find(key, t0.plusSeconds(30)), "still below where it started");
        inTx(() -> buckets.forgetRecovered(t0.plusSeconds(60)));
        assertNull(find(key, t0.plusSeconds(60)), "back at its start: the destination is unlimited again");
    }

    @Test
    void shouldSendNoFasterThanTheDestinationsLimitWhileAnotherDestinationIsNotSlowed() throws Exception {
        try (Target limited = Target.start(200, null); Target free = Target.start(200, null)) {
            int perSecond = 5;
            int burst = 2;
            // One request first, so the first measured one does not pay for a new connection and cold code.
            ActionTask warmUp = task(request(limited.url("/warm-up"), null));
            publish(warmUp);
            awaitStatus(warmUp.id(), "SUCCEEDED");
            limited.arrivals.clear();
            api().contentType("application/json").body(Map.of("perSecond", perSecond, "burst", burst))
                    .put("/api/v1/destinations/127.0.0.1:" + limited.port() + "/rate-limit")
                    .then().statusCode(200);
            List<ActionTask> tasks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                tasks.add(task(request(limited.url("/limited/" + i), null)));
                tasks.add(task(request(free.url("/free/" + i), null)));
            }
            long begin = System.nanoTime();
            for (ActionTask task : tasks) {
                publish(task);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> free.arrivals.size() >= 20);
            double freeSeconds = (System.nanoTime() - begin) / 1e9;
            assertTrue(limited.arrivals.size() < 20, "the unlimited destination was done in " + freeSeconds
                    + " s, long before the limited one could be (" + limited.arrivals.size() + " of 20)");
            await().atMost(Duration.ofSeconds(30)).until(() -> limited.arrivals.size() >= 20);
            List<Long> claimed = new ArrayList<>();
            for (ActionTask task : tasks) {
                List<Map<String, Object>> transitions = awaitStatus(task.id(), "SUCCEEDED").extract().path("transitions");
                if (task.request().url().contains("/limited/")) {
                    transitions.stream().filter(change -> "RUNNING".equals(change.get("to"))).findFirst()
                            .ifPresent(change -> claimed.add(nanos(Instant.parse((String) change.get("at")))));
                }
            }
            // The bound holds where the tokens are taken, at the claim; at the target, each request's time from claim
            // to send varies (tens of ms, more on a busy machine), which may put one more into a second there.
            assertEquals(20, claimed.size());
            assertWindowsHoldAtMost(claimed, Duration.ofSeconds(1), perSecond + burst);
            assertWindowsHoldAtMost(limited.arrivals, Duration.ofSeconds(1), perSecond + burst + 1);
        }
    }

    @Test
    void shouldHoldARulesExecutionsToTheRulesOwnLimit() throws Exception {
        try (Target target = Target.start(200, null)) {
            String rule = "rule-" + UUID.randomUUID();
            List<ActionTask> tasks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String instance = UUID.randomUUID().toString();
                tasks.add(new ActionTask(1, TaskIds.forTask(instance, rule), ORG, instance, "demo.test", rule,
                        "demo.limited_rule", "core.http",
                        request(target.url("/rule/" + i), new OutboundRequest.RateLimit(2.0, 1)), Instant.now(), 0));
            }
            for (ActionTask task : tasks) {
                publish(task);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> target.arrivals.size() >= 8);
            assertWindowsHoldAtMost(target.arrivals, Duration.ofSeconds(1), 2 + 1 + 1);
            long spanMillis = Duration.ofNanos(target.arrivals.get(7) - target.arrivals.get(0)).toMillis();
            assertTrue(spanMillis >= 3000, "8 requests at 2/s with a burst of 1 take 3.5 s, took " + spanMillis + " ms");
        }
    }

    @Test
    void shouldSendNothingToADestinationForTheRetryAfterOfIts429() throws Exception {
        try (Target target = Target.start(200, "/throttled")) {
            String destination = "127.0.0.1:" + target.port();
            ActionTask first = task(request(target.url("/throttled/first"), null));
            publish(first);
            await().atMost(Duration.ofSeconds(20)).until(() -> !target.arrivals.isEmpty());
            long throttledAt = target.arrivals.get(0);
            // The 429 is recorded: the destination's state shows the pause every replica honours.
            await().atMost(Duration.ofSeconds(10)).until(() -> api().get("/api/v1/destinations/" + destination
                    + "/rate-limit").then().extract().statusCode() == 200);
            api().get("/api/v1/destinations/" + destination + "/rate-limit").then().statusCode(200)
                    .body("currentPerSecond", org.hamcrest.Matchers.equalTo(5.0f))
                    .body("pausedUntil", org.hamcrest.Matchers.notNullValue());
            ActionTask second = task(request(target.url("/after/second"), null));
            publish(second);
            awaitStatus(second.id(), "SUCCEEDED");
            awaitStatus(first.id(), "SUCCEEDED");
            for (int i = 1; i < target.arrivals.size(); i++) {
                long afterMillis = Duration.ofNanos(target.arrivals.get(i) - throttledAt).toMillis();
                assertTrue(afterMillis >= 2000, "request " + i + " came " + afterMillis + " ms after the 429");
            }
        }
    }

    private static long nanos(Instant at) {
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    /** In every window of this length, counted from each time given (nanoseconds), at most {@code most}. */
    static void assertWindowsHoldAtMost(List<Long> arrivals, Duration length, int most) {
        List<Long> sorted = new ArrayList<>(arrivals);
        Collections.sort(sorted);
        long window = length.toNanos();
        for (int i = 0; i < sorted.size(); i++) {
            int in = 0;
            for (int j = i; j < sorted.size() && sorted.get(j) - sorted.get(i) < window; j++) {
                in++;
            }
            assertTrue(in <= most, in + " requests within " + length.toMillis() + " ms from the " + i + "th; at most "
                    + most);
        }
    }

    static OutboundRequest request(String url, OutboundRequest.RateLimit limit) {
        return new OutboundRequest("POST", url, Map.of(), "x", null, null, null, null, null, null, null, limit);
    }

    private Grant take(String key, int wanted, Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> buckets.take(ORG, DESTINATION, key, wanted, now))
                .orElseThrow();
    }

    private RateLimit find(String key, Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> buckets.find(ORG, key, now)).orElse(null);
    }

    private static void inTx(Runnable work) {
        QuarkusTransaction.requiringNew().run(work);
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + ".test:443";
    }

    /**
     * A real HTTP target on loopback that notes when each request arrived; under {@code throttledPrefix} the first
     * request is answered 429 with {@code Retry-After: 2}, everything else with {@code status}.
     */
    static final class Target implements AutoCloseable {
        final List<Long> arrivals = new CopyOnWriteArrayList<>();
        private final HttpServer server;
        private final AtomicInteger throttled = new AtomicInteger();

        private Target(HttpServer server) {
            this.server = server;
        }

        static Target start(int status, String throttledPrefix) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            Target target = new Target(server);
            server.createContext("/", exchange -> {
                target.arrivals.add(System.nanoTime());
                exchange.getRequestBody().readAllBytes();
                boolean throttle = throttledPrefix != null && exchange.getRequestURI().getPath().startsWith(throttledPrefix)
                        && target.throttled.getAndIncrement() == 0;
                if (throttle) {
                    exchange.getResponseHeaders().add("Retry-After", "2");
                }
                exchange.sendResponseHeaders(throttle ? 429 : status, -1);
                exchange.close();
            });
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
            return target;
        }

        int port() {
            return server.getAddress().getPort();
        }

        String url(String path) {
            return "http://127.0.0.1:" + port() + path;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
