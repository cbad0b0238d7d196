package io.hookflow.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Ordered lanes end to end (docs/delivery.md, Ordered lanes): two delivery replicas share the work, a flaky target fails
 * a fair share of first attempts with 500 and answers others slowly, and 500 webhooks over 20 keys, each key's webhooks
 * sent one after the other's 202 (the keys at once), arrive at the target once each and, per key, in the order they were
 * sent. A rule without ordering on the same trigger delivers every webhook as well.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderedLanesIT {

    static final int KEYS = 20;
    static final int PER_KEY = 25;
    static final String TRIGGER = "e2e.lanes.push";

    ReplicatedSystem system;
    FlakyTarget target;

    @BeforeAll
    void start() throws Exception {
        // Two delivery replicas (the lanes must hold across them); one each of ingest and rules is enough here. A short
        // retry schedule so that a lane held behind a failed first attempt moves on within a second.
        system = ReplicatedSystem.start(Map.of("ingest-service", 1, "rules-service", 1, "delivery-service", 2),
                Map.of("HOOKFLOW_DELIVERY_RETRY_SCHEDULE", "300ms,500ms,1s,1s,2s,2s,2s,2s",
                        "HOOKFLOW_DELIVERY_RETRY_JITTER", "0.1"));
        target = FlakyTarget.start();
    }

    @AfterAll
    void stop() {
        if (target != null) {
            target.close();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    @Order(1)
    void shouldDeliverEveryWebhookOncePerKeyInSendOrderUnderTwoReplicasAndAFlakyTarget() throws Exception {
        String ordered = rule("lanes_ordered", TRIGGER, "/ordered/", "\"ordering\": {\"key\": \"{{ trigger.key }}\"}, ");
        String unordered = rule("lanes_unordered", TRIGGER, "/unordered/", "");
        awaitRulesLoaded();

        long begin = System.nanoTime();
        sendAll(TRIGGER, PER_KEY, null, new AtomicInteger());
        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1))
                .until(() -> target.delivered("/ordered/") >= KEYS * PER_KEY
                        && target.delivered("/unordered/") >= KEYS * PER_KEY && allFinal(ordered, unordered));
        // A settle window in which a late duplicate would show.
        Thread.sleep(3000);
        long seconds = Duration.ofNanos(System.nanoTime() - begin).toSeconds();

        Map<String, List<Integer>> byKey = target.arrivals("/ordered/");
        int failedFirst = target.failedFirstAttempts.get();
        System.out.printf("LANES %d webhooks over %d keys delivered in %d s; first attempts failed: %d, slow answers: %d%n",
                KEYS * PER_KEY, KEYS, seconds, failedFirst, target.slowAnswers.get());
        assertTrue(failedFirst >= KEYS, "the target failed a fair share of first attempts: " + failedFirst);
        assertEquals(KEYS, byKey.size(), "every key arrived: " + byKey.keySet());
        List<Integer> inOrder = new ArrayList<>();
        for (int n = 0; n < PER_KEY; n++) {
            inOrder.add(n);
        }
        byKey.forEach((key, arrivals) -> assertEquals(inOrder, arrivals,
                "key " + key + ": each webhook once, in the order sent"));
        Map<String, List<Integer>> unorderedByKey = target.arrivals("/unordered/");
        assertEquals(KEYS * PER_KEY, unorderedByKey.values().stream().mapToInt(List::size).sum(),
                "the rule without ordering delivered every webhook once");
        unorderedByKey.values().forEach(arrivals -> assertEquals(PER_KEY, arrivals.stream().distinct().count()));
        assertLanesShown(ordered);
        Map<Integer, Double> attempts = system.metricPerReplica("delivery-service", "hookflow_delivery_attempts_total");
        assertTrue(attempts.size() == 2 && attempts.values().stream().allMatch(count -> count > 0),
                "both delivery replicas shared the work: " + attempts);
    }

    /**
     * The broker restarts while the keys are being sent. A webhook whose acknowledgement the restart cut off is answered
     * 503 though stored, and its retry is stored again (docs/ingest.md): a second trigger instance of that webhook, right
     * behind the first in its lane, since its sender sends the next one only after the 202. So per key the arrivals,
     * with such a repeat taken out, are the send order; and there are no more repeats than retried webhooks.
     */
    @Test
    @Order(2)
    void shouldKeepEachKeysOrderThroughABrokerRestart() throws Exception {
        String trigger = "e2e.lanes.restart";
        int perKey = 15;
        rule("lanes_restart", trigger, "/restart/", "\"ordering\": {\"key\": \"{{ trigger.key }}\"}, ");
        awaitRulesLoaded();
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger retried = new AtomicInteger();
        Thread restart = new Thread(() -> {
            await().atMost(Duration.ofSeconds(120)).until(() -> accepted.get() >= KEYS * perKey / 3);
            system.stack.restartBroker();
            system.awaitReady();
        }, "broker-restart");
        restart.start();

        sendAll(trigger, perKey, accepted, retried);
        restart.join(Duration.ofSeconds(300).toMillis());
        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(1))
                .until(() -> target.arrivals("/restart/").values().stream()
                        .allMatch(arrivals -> !arrivals.isEmpty() && arrivals.get(arrivals.size() - 1) == perKey - 1)
                        && target.arrivals("/restart/").size() == KEYS);
        Thread.sleep(3000);

        Map<String, List<Integer>> byKey = target.arrivals("/restart/");
        List<Integer> inOrder = new ArrayList<>();
        for (int n = 0; n < perKey; n++) {
            inOrder.add(n);
        }
        int repeats = 0;
        for (Map.Entry<String, List<Integer>> key : byKey.entrySet()) {
            List<Integer> withoutRepeats = new ArrayList<>();
            for (int n : key.getValue()) {
                if (!withoutRepeats.isEmpty() && withoutRepeats.get(withoutRepeats.size() - 1) == n) {
                    repeats++;
                } else {
                    withoutRepeats.add(n);
                }
            }
            assertEquals(inOrder, withoutRepeats, "key " + key.getKey() + " in the order sent: " + key.getValue());
        }
        System.out.printf("LANES broker restart: %d webhooks over %d keys in order; %d retried by their senders, %d "
                + "delivered twice in a row%n", KEYS * perKey, KEYS, retried.get(), repeats);
        assertTrue(repeats <= retried.get(), repeats + " repeats but only " + retried.get() + " webhooks retried");
    }

    /**
     * Per key, each webhook after the previous one's 202; the keys concurrently. Counts the accepted webhooks (when
     * given) and those that needed more than one try.
     */
    private void sendAll(String trigger, int perKey, AtomicInteger accepted, AtomicInteger retried) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        ExecutorService senders = Executors.newFixedThreadPool(KEYS);
        try {
            List<Future<?>> keys = new ArrayList<>();
            for (int k = 0; k < KEYS; k++) {
                String key = "repo-" + k;
                keys.add(senders.submit(() -> {
                    for (int n = 0; n < perKey; n++) {
                        if (send(client, trigger, key, n) > 1) {
                            retried.incrementAndGet();
                        }
                        if (accepted != null) {
                            accepted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> key : keys) {
                key.get(5, java.util.concurrent.TimeUnit.MINUTES);
            }
        } finally {
            senders.shutdownNow();
        }
    }

    /**
     * Sends until a 202, with the same Idempotency-Key each time (a 503 after the broker stored the webhook still makes
     * a second trigger instance: docs/ingest.md); answers how many tries it took.
     */
    private int send(HttpClient client, String trigger, String key, int n) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(system.url("ingest-service") + "/api/v1/webhooks/st2"))
                .timeout(Duration.ofSeconds(30))
                .header("St2-Api-Key", ReplicatedSystem.KEY)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", trigger + "-" + key + "-" + n)
                .POST(HttpRequest.BodyPublishers.ofString("{\"trigger\": \"" + trigger + "\", \"payload\": {\"key\": \""
                        + key + "\", \"n\": " + n + "}}"))
                .build();
        for (int attempt = 0; attempt < 480; attempt++) { // up to 2 min: a broker restart answers 503 meanwhile
            int status;
            try {
                status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                status = -1;
            }
            if (status == 202) {
                return attempt + 1;
            }
            if (status != -1 && status != 502 && status != 503 && status != 409) {
                throw new AssertionError("webhook " + key + "/" + n + " answered " + status);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("webhook " + key + "/" + n + " was never accepted");
    }

    private String rule(String name, String trigger, String path, String ordering) {
        String rule = """
                {"name": "%s", "pack": "e2e_lanes", "trigger": {"type": "%s"}, %s
                 "action": {"ref": "core.http", "parameters": {"url": "%s{{ trigger.key }}", "method": "POST",
                   "body": "{{ trigger.n }}"}}}
                """.formatted(name, trigger, ordering, target.url(path));
        return given().baseUri(system.url("rules-service")).header("St2-Api-Key", ReplicatedSystem.KEY)
                .contentType("application/json").body(rule).post("/api/v1/rules")
                .then().statusCode(201).extract().path("id");
    }

    private void awaitRulesLoaded() throws Exception {
        system.awaitRulesEverywhere();
    }

    private boolean allFinal(String... rules) throws Exception {
        try (Connection db = system.database(); var query = db.prepareStatement("select count(*) from delivery.execution "
                + "where rule_id = any (?) and status not in ('SUCCEEDED', 'FAILED', 'CANCELED')")) {
            query.setArray(1, db.createArrayOf("text", rules));
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1) == 0;
            }
        }
    }

    /** The execution view shows an ordered execution's lane: the rule id and rendered key, and its place. */
    private void assertLanesShown(String ruleId) throws Exception {
        String id;
        try (Connection db = system.database(); var query = db.prepareStatement(
                "select id from delivery.execution where rule_id = ? limit 1")) {
            query.setString(1, ruleId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                id = row.getString(1);
            }
        }
        String lane = given().baseUri(system.url("delivery-service")).header("St2-Api-Key", ReplicatedSystem.KEY)
                .get("/api/v1/executions/" + id).then().statusCode(200).extract().path("lane.id");
        assertTrue(lane.startsWith(ruleId + ":repo-"), lane);
    }

    /**
     * A target that fails about a quarter of first attempts with 500 and answers about a fifth of the rest slowly, and
     * records, per path, each successful arrival in the order it answered them.
     */
    static final class FlakyTarget implements AutoCloseable {

        final HttpServer server;
        final ExecutorService threads = Executors.newFixedThreadPool(32);
        final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        final List<String[]> arrivals = new ArrayList<>();
        final AtomicInteger failedFirstAttempts = new AtomicInteger();
        final AtomicInteger slowAnswers = new AtomicInteger();

        private FlakyTarget(HttpServer server) {
            this.server = server;
        }

        static FlakyTarget start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
            FlakyTarget target = new FlakyTarget(server);
            server.createContext("/", target::handle);
            server.setExecutor(target.threads);
            server.start();
            return target;
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + path;
        }

        private void handle(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).trim();
            String webhook = path + "#" + body;
            int attempt = attempts.computeIfAbsent(webhook, ignored -> new AtomicInteger()).incrementAndGet();
            int dice = Math.floorMod(webhook.hashCode() * 31 + 7, 20);
            int status = 200;
            if (attempt == 1 && dice < 5) {
                status = 500;
                failedFirstAttempts.incrementAndGet();
            } else if (dice >= 16) {
                slowAnswers.incrementAndGet();
                sleep(150 + dice * 10);
            }
            if (status == 200) {
                synchronized (arrivals) {
                    arrivals.add(new String[] {path, body});
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        }

        int delivered(String prefix) {
            synchronized (arrivals) {
                return (int) arrivals.stream().filter(arrival -> arrival[0].startsWith(prefix)).count();
            }
        }

        /** Per key (the last path segment), the webhook numbers in the order they arrived successfully. */
        Map<String, List<Integer>> arrivals(String prefix) {
            Map<String, List<Integer>> byKey = new TreeMap<>();
            synchronized (arrivals) {
                for (String[] arrival : arrivals) {
                    if (arrival[0].startsWith(prefix)) {
                        byKey.computeIfAbsent(arrival[0].substring(prefix.length()), ignored -> new ArrayList<>())
                                .add(Integer.parseInt(arrival[1]));
                    }
                }
            }
            return byKey;
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
