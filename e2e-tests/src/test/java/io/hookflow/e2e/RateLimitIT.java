package io.hookflow.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Rate limits on the packaged services with two delivery replicas (and two of ingest and rules) sharing one database:
 * a destination limited to 5/s gets 60 executions, no second of their claims holds more than 5 + burst and the target
 * sees that rate (within the claim-to-target delay of a busy machine), while an unlimited destination on the same
 * system is not slowed; and a target that answers 429 with {@code Retry-After: 2}
 * receives nothing from either replica for 2 s after it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RateLimitIT {

    static final int PER_SECOND = 5;
    static final int BURST = 2;
    static final int WEBHOOKS = 60;
    /** How much later than its claim a request may reach the target on a busy two-core machine. */
    static final Duration JITTER = Duration.ofSeconds(2);

    ReplicatedSystem system;

    @BeforeAll
    void start() throws Exception {
        system = ReplicatedSystem.start();
    }

    @AfterAll
    void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void shouldHoldALimitedDestinationToItsRateAcrossReplicasWithoutSlowingAnother() throws Exception {
        try (Target limited = Target.start(false); Target free = Target.start(false)) {
            given().baseUri(system.url("delivery-service")).header("St2-Api-Key", ReplicatedSystem.KEY)
                    .contentType("application/json").body(Map.of("perSecond", PER_SECOND, "burst", BURST))
                    .put("/api/v1/destinations/127.0.0.1:" + limited.port() + "/rate-limit").then().statusCode(200);
            String limitedTrigger = rule("limited", limited.url("/limited"));
            String freeTrigger = rule("free", free.url("/free"));

            long begin = System.nanoTime();
            WebhookStream limitedStream = WebhookStream.start(system.url("ingest-service"), ReplicatedSystem.KEY,
                    limitedTrigger, WEBHOOKS, 100);
            WebhookStream freeStream = WebhookStream.start(system.url("ingest-service"), ReplicatedSystem.KEY,
                    freeTrigger, WEBHOOKS, 100);
            assertEquals(WEBHOOKS, limitedStream.finish(Duration.ofSeconds(60)).size());
            assertEquals(WEBHOOKS, freeStream.finish(Duration.ofSeconds(60)).size());

            await().atMost(Duration.ofSeconds(60)).until(() -> free.arrivals.size() >= WEBHOOKS);
            long freeDone = System.nanoTime() - begin;
            int limitedThen = limited.arrivals.size();
            await().atMost(Duration.ofSeconds(90)).until(() -> limited.arrivals.size() >= WEBHOOKS);
            long limitedDone = System.nanoTime() - begin;
            System.out.printf("RATELIMIT free destination: %d requests in %d ms; limited (%d/s, burst %d): %d in %d ms "
                            + "(%d of them when the free one was done)%n", WEBHOOKS, freeDone / 1_000_000, PER_SECOND,
                    BURST, WEBHOOKS, limitedDone / 1_000_000, limitedThen);

            // The buckets bound what is claimed, by both replicas together: at most burst + 5 in any second, and
            // (60 - burst) / 5 per second = 11.6 s from the first claim to the last, whatever the replicas do. The
            // claim time is in each execution's history ("PENDING RUNNING <µs>", the time the claim took its tokens
            // at). These are the strict checks: the claim is where the limit is enforced.
            List<Long> claims = claimTimes(limited.port());
            assertWindowsHoldAtMost("claims", claims, Duration.ofSeconds(1), PER_SECOND + BURST);
            long leastSpan = 1000L * (WEBHOOKS - BURST) / PER_SECOND;
            assertTrue(Duration.ofNanos(Collections.max(claims) - Collections.min(claims)).toMillis() >= leastSpan - 200,
                    "the limited destination's 60 were claimed too fast");
            // At the target each request comes after its own way from claim to target, which varies by replica and
            // by how busy the machine is (a cold connection, JIT, GC, the free destination's burst, a CI run on two
            // cores): two seconds at the target have held 16 while no second of claims held more than 6, and the
            // first request can come late, shortening the span. So the target is held to the rate with up to
            // JITTER of that: over four seconds at most burst + 5 x (4 + 2) = 32, and the 60 over at least 11.6 - 2 s.
            // Without the limit they would come like the free destination's: 60 within a few seconds.
            assertWindowsHoldAtMost("target", limited.arrivals, Duration.ofSeconds(4),
                    BURST + (int) ((4 + JITTER.toSeconds()) * PER_SECOND));
            assertTrue(Duration.ofNanos(limited.arrivals.get(WEBHOOKS - 1) - limited.arrivals.get(0)).toMillis()
                    >= leastSpan - JITTER.toMillis(), "the limited destination got its 60 too fast");
            // Not held back with the limited one: the free destination took its 60 in less time than the limit lets
            // the limited one take them. (How soon it is done depends on how cold the stack is, so no tighter bound.)
            long freeSpan = free.arrivals.get(WEBHOOKS - 1) - free.arrivals.get(0);
            assertTrue(Duration.ofNanos(freeSpan).toMillis() < leastSpan - JITTER.toMillis(),
                    "the unlimited destination was held back with the limited one: its 60 took "
                            + Duration.ofNanos(freeSpan).toMillis() + " ms (" + limitedThen + " limited had gone)");
            Thread.sleep(2000);
            assertEquals(WEBHOOKS, limited.arrivals.size(), "nothing sent twice");
            assertEquals(WEBHOOKS, free.arrivals.size(), "nothing sent twice");
            assertTrue(bothReplicasAttempted(), "both delivery replicas were sending");
        }
    }

    @Test
    void shouldSendNothingFromAnyReplicaForTheRetryAfterOfA429() throws Exception {
        try (Target throttled = Target.start(true)) {
            String trigger = rule("throttled", throttled.url("/throttled"));
            String destination = "/api/v1/destinations/127.0.0.1:" + throttled.port() + "/rate-limit";
            // One webhook alone first: its request is answered 429 + Retry-After: 2. (Requests already in flight when
            // a 429 comes back are not called back, so the rest follow once it is recorded.)
            assertEquals(1, WebhookStream.start(system.url("ingest-service"), ReplicatedSystem.KEY, trigger, 1, 1)
                    .finish(Duration.ofSeconds(30)).size());
            await().atMost(Duration.ofSeconds(30)).until(() -> !throttled.arrivals.isEmpty());
            long answered429 = throttled.arrivals.get(0);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> given()
                    .baseUri(system.url("delivery-service")).header("St2-Api-Key", ReplicatedSystem.KEY)
                    .get(destination).then().extract().statusCode() == 200);
            long recordedAfter = Duration.ofNanos(System.nanoTime() - answered429).toMillis();
            java.util.Set<String> pausedSeenBy = new java.util.HashSet<>();
            for (var replica : system.service("delivery-service").replicas()) {
                // pausedUntil is null once the pause is over
                if (given().baseUri(replica.baseUrl()).header("St2-Api-Key", ReplicatedSystem.KEY).get(destination)
                        .then().statusCode(200).extract().path("pausedUntil") != null) {
                    pausedSeenBy.add(replica.baseUrl());
                }
            }
            // Nine more, on both delivery replicas (their tasks spread over the partitions), while the pause holds. The
            // stream numbers its webhooks from 0 again, and webhook 0's Idempotency-Key makes it the first one: 9 new.
            WebhookStream stream = WebhookStream.start(system.url("ingest-service"), ReplicatedSystem.KEY, trigger, 10, 10);
            assertEquals(10, stream.finish(Duration.ofSeconds(60)).size());
            await().atMost(Duration.ofSeconds(60)).until(() -> throttled.arrivals.size() >= 11); // 10 and one retry
            List<Long> arrivals = throttled.arrivals;
            long first = Long.MAX_VALUE;
            for (int i = 1; i < arrivals.size(); i++) {
                long after = Duration.ofNanos(arrivals.get(i) - answered429).toMillis();
                first = Math.min(first, after);
                assertTrue(after >= 2000, "request " + i + " came " + after + " ms after the 429 with Retry-After: 2");
            }
            System.out.printf("RATELIMIT 429 recorded (paused for every replica) within %d ms; the first request after it"
                    + " came %d ms after the 429%n", recordedAfter, first);
            given().baseUri(system.url("delivery-service")).header("St2-Api-Key", ReplicatedSystem.KEY)
                    .get(destination).then().statusCode(200)
                    .body("throttledAt", org.hamcrest.Matchers.notNullValue());
            // Which replica claims the held executions when the pause ends is a race, so attempts per replica prove
            // nothing here (the test above shows both sending under a limit). What makes "no replica" hold is that
            // each one reads the same pause: each answered, while it held, with its end.
            assertEquals(2, pausedSeenBy.size(), "both delivery replicas knew of the pause: " + pausedSeenBy);
        }
    }

    /** A rule of its own on trigger {@code e2e.rate.<name>}, known to every rules replica before it returns. */
    private String rule(String name, String url) throws Exception {
        String trigger = "e2e.rate." + name + "_" + UUID.randomUUID().toString().substring(0, 6);
        String rule = """
                {"name": "%s", "pack": "e2e_rate", "enabled": true, "trigger": {"type": "%s"},
                 "action": {"ref": "core.http", "parameters": {"url": "%s?n={{ trigger.n }}", "method": "POST",
                   "body": "{{ trigger.n }}"}}}
                """.formatted(trigger.replace('.', '_'), trigger, url);
        given().baseUri(system.url("rules-service")).header("St2-Api-Key", ReplicatedSystem.KEY)
                .contentType("application/json").body(rule).post("/api/v1/rules").then().statusCode(201);
        system.awaitRulesEverywhere();
        return trigger;
    }

    /** When each execution to the destination was claimed, as nanoseconds (from its history line), all replicas. */
    private List<Long> claimTimes(int port) throws Exception {
        List<Long> times = new ArrayList<>();
        try (Connection db = system.database(); var statement = db.prepareStatement(
                "select history from delivery.execution where destination = ?")) {
            statement.setString(1, "127.0.0.1:" + port);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    rows.getString(1).lines().map(line -> line.split(" ")).filter(parts -> parts[1].equals("RUNNING"))
                            .findFirst().ifPresent(parts -> times.add(Long.parseLong(parts[2]) * 1000));
                }
            }
        }
        assertEquals(WEBHOOKS, times.size(), "a claim time for each execution");
        return times;
    }

    /** Whether each delivery replica counted attempts: the limit held while both were sending. */
    private boolean bothReplicasAttempted() {
        return system.metricPerReplica("delivery-service", "hookflow_delivery_attempts_total").values().stream()
                .allMatch(attempts -> attempts > 0);
    }

    /** In every window of this length at the target, counted from each arrival, at most {@code most} arrivals. */
    static void assertWindowsHoldAtMost(String where, List<Long> arrivals, Duration length, int most) {
        List<Long> sorted = new ArrayList<>(arrivals);
        Collections.sort(sorted);
        long window = length.toNanos();
        int worst = 0;
        for (int i = 0; i < sorted.size(); i++) {
            int in = 0;
            for (int j = i; j < sorted.size() && sorted.get(j) - sorted.get(i) < window; j++) {
                in++;
            }
            worst = Math.max(worst, in);
        }
        System.out.printf("RATELIMIT the busiest %d ms of the limited destination's %s held %d requests (at most %d),"
                + " first to last %d ms%n", length.toMillis(), where, worst, most,
                Duration.ofNanos(sorted.get(sorted.size() - 1) - sorted.get(0)).toMillis());
        assertTrue(worst <= most, worst + " requests within " + length.toMillis() + " ms; at most " + most);
    }

    /** A recording target on loopback; a throttling one answers its first request 429 with Retry-After: 2. */
    static final class Target implements AutoCloseable {
        final List<Long> arrivals = new CopyOnWriteArrayList<>();
        private final HttpServer server;
        private final AtomicInteger seen = new AtomicInteger();

        private Target(HttpServer server) {
            this.server = server;
        }

        static Target start(boolean throttleFirst) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
            Target target = new Target(server);
            server.createContext("/", exchange -> {
                target.arrivals.add(System.nanoTime());
                exchange.getRequestBody().readAllBytes();
                boolean throttle = throttleFirst && target.seen.getAndIncrement() == 0;
                if (throttle) {
                    exchange.getResponseHeaders().add("Retry-After", "2");
                }
                exchange.sendResponseHeaders(throttle ? 429 : 200, -1);
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
