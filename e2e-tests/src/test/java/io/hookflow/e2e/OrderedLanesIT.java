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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Ordered lanes end to end (docs/delivery.md, Ordered lanes): two delivery replicas share the work, a flaky target fails
 * a fair share of first attempts with 500 and answers others slowly, and 500 webhooks over 20 keys, each key's webhooks
 * sent one after the other's 202 (the keys at once), arrive at the target once each and, per key, in the order they were
 * sent. A rule without ordering on the same trigger delivers every webhook as well.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
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
    void shouldDeliverEveryWebhookOncePerKeyInSendOrderUnderTwoReplicasAndAFlakyTarget() throws Exception {
        String ordered = rule("lanes_ordered", "/ordered/", "\"ordering\": {\"key\": \"{{ trigger.key }}\"}, ");
        String unordered = rule("lanes_unordered", "/unordered/", "");
        awaitRulesLoaded();

        long begin = System.nanoTime();
        sendAll();
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
    }

    /** Per key, each webhook after the previous one's 202; the keys concurrently. */
    private void sendAll() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        ExecutorService senders = Executors.newFixedThreadPool(KEYS);
        try {
            List<Future<?>> keys = new ArrayList<>();
            for (int k = 0; k < KEYS; k++) {
                String key = "repo-" + k;
                keys.add(senders.submit(() -> {
                    for (int n = 0; n < PER_KEY; n++) {
                        send(client, key, n);
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

    /** Sends until a 202; a retry carries the same Idempotency-Key, so it never makes a second trigger instance. */
    private void send(HttpClient client, String key, int n) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(system.url("ingest-service") + "/api/v1/webhooks/st2"))
                .timeout(Duration.ofSeconds(30))
                .header("St2-Api-Key", ReplicatedSystem.KEY)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", TRIGGER + "-" + key + "-" + n)
                .POST(HttpRequest.BodyPublishers.ofString("{\"trigger\": \"" + TRIGGER + "\", \"payload\": {\"key\": \""
                        + key + "\", \"n\": " + n + "}}"))
                .build();
        for (int attempt = 0; attempt < 40; attempt++) {
            int status;
            try {
                status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                status = -1;
            }
            if (status == 202) {
                return;
            }
            if (status != -1 && status != 502 && status != 503 && status != 409) {
                throw new AssertionError("webhook " + key + "/" + n + " answered " + status);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("webhook " + key + "/" + n + " was never accepted");
    }

    private String rule(String name, String path, String ordering) {
        String rule = """
                {"name": "%s", "pack": "e2e_lanes", "trigger": {"type": "%s"}, %s
                 "action": {"ref": "core.http", "parameters": {"url": "%s{{ trigger.key }}", "method": "POST",
                   "body": "{{ trigger.n }}"}}}
                """.formatted(name, TRIGGER, ordering, target.url(path));
        return given().baseUri(system.url("rules-service")).header("St2-Api-Key", ReplicatedSystem.KEY)
                .contentType("application/json").body(rule).post("/api/v1/rules")
                .then().statusCode(201).extract().path("id");
    }

    private void awaitRulesLoaded() throws Exception {
        long revision;
        try (Connection db = system.database(); ResultSet row = db.createStatement()
                .executeQuery("select revision from rules.rule_revision")) {
            row.next();
            revision = row.getLong(1);
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> system
                .metricPerReplica("rules-service", "hookflow_rules_index_revision").values().stream()
                .allMatch(loaded -> loaded >= revision));
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
