package io.hookflow.bench.e2e;

import io.hookflow.stack.LocalStack;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The isolation test's dead destination: a second rule, on its own webhook url, posts to a local port where nothing
 * listens, and {@code parked} webhooks are sent to it before the steps. Every attempt is refused at once, the
 * destination's circuit opens, and the executions wait behind it (parked or scheduled for a retry) while the steps
 * measure the healthy destination on the same stack.
 */
final class ParkedBacklog {

    static final String WEBHOOK = "parked";
    /** The longest wait for delivery to have recorded and parked every execution of the dead destination. */
    static final Duration SETTLE = Duration.ofMinutes(10);

    private final LocalStack stack;
    private final Vertx vertx;
    private final String apiKey;
    private final Settings settings;

    ParkedBacklog(LocalStack stack, Vertx vertx, String apiKey, Settings settings) {
        this.stack = stack;
        this.vertx = vertx;
        this.apiKey = apiKey;
        this.settings = settings;
    }

    /** Registers the rule, sends the webhooks and waits until delivery has parked them; a paragraph for the report. */
    String seed() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort(); // closed again at once: connections to it are refused
        }
        String destination = "127.0.0.1:" + deadPort;
        registerRule("http://" + destination + "/dead");
        int ingestPort = URI.create(stack.service("ingest-service").baseUrl()).getPort();
        long begin = System.nanoTime();
        Step step = new Step("parked", "parked", Settings.PARKED_RATE, settings.parked());
        try (OpenModelSender sender = new OpenModelSender(vertx, ingestPort, "/api/v1/webhooks/" + WEBHOOK, apiKey,
                settings.connections(), settings.timeout(), false)) {
            awaitWebhookKnown(sender);
            step.startNanos = System.nanoTime();
            EndToEndBenchmark.log("parked: sending " + step.capacity + " webhooks at " + step.rate + "/s to a rule whose"
                    + " destination " + destination + " refuses every connection");
            sender.run(step);
            long deadline = System.nanoTime() + settings.timeout().multipliedBy(2).toNanos();
            while (step.accepted.get() + step.failed.get() < step.planned.get() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
        int accepted = step.accepted.get();
        double sendSeconds = (System.nanoTime() - step.startNanos) / 1e9;
        Map<String, Long> byStatus = Map.of();
        long settleDeadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < settleDeadline) {
            byStatus = executionsTo(destination);
            long recorded = byStatus.values().stream().mapToLong(Long::longValue).sum();
            long claimable = byStatus.getOrDefault("PENDING", 0L) + byStatus.getOrDefault("RUNNING", 0L);
            if (recorded >= accepted && claimable == 0) {
                break;
            }
            EndToEndBenchmark.log("parked: " + recorded + "/" + accepted + " recorded " + byStatus);
            Thread.sleep(5000);
        }
        double settled = (System.nanoTime() - begin) / 1e9;
        String circuit = circuitOf(destination);
        String summary = String.format(Locale.ROOT, "Before the steps, %d webhooks were sent at %d/s to a second rule "
                        + "whose destination (`%s`) refuses every connection (%d accepted in %.0f s). %.0f s after the "
                        + "first was sent its executions were, by status (`parked` = held by the open circuit): %s; the "
                        + "circuit: %s. They stay there during the steps, which measure the healthy destination.",
                step.capacity, step.rate, destination, accepted, sendSeconds, settled, byStatus, circuit);
        EndToEndBenchmark.log("parked: " + summary);
        return summary;
    }

    private void registerRule(String url) throws Exception {
        String rule = """
                {"name": "e2e_benchmark_parked", "pack": "bench", "enabled": true,
                 "trigger": {"type": "core.st2.webhook", "parameters": {"url": "%s"}},
                 "action": {"ref": "core.http", "parameters": {"url": "%s", "method": "POST", "body": "x"}}}
                """.formatted(WEBHOOK, url);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> created = client.send(HttpRequest.newBuilder(
                        URI.create(stack.service("rules-service").baseUrl() + "/api/v1/rules"))
                .header("St2-Api-Key", apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(rule)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("parked rule not created: " + created.statusCode() + " " + created.body());
        }
    }

    /** Ingest answers 404 until it has read the rule's webhook from rule-changes. */
    private void awaitWebhookKnown(OpenModelSender sender) throws InterruptedException {
        Step probe = new Step("parked-probe", "parked probe", 0, 300);
        for (int i = 0; i < probe.capacity; i++) {
            int index = i;
            sender.send(probe, index, System.nanoTime());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (probe.status.get(index) == Step.NO_ANSWER && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (probe.accepted.get() > 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("ingest did not accept webhooks to /" + WEBHOOK + " within a minute");
    }

    /** The dead destination's executions by status, with those the circuit holds counted as {@code parked}. */
    private Map<String, Long> executionsTo(String destination) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection db = connect(); PreparedStatement sql = db.prepareStatement("""
                select case when circuit_parked then 'parked' else status end, count(*)
                from delivery.execution where destination = ? group by 1""")) {
            sql.setString(1, destination);
            try (ResultSet rows = sql.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return counts;
    }

    private String circuitOf(String destination) throws SQLException {
        try (Connection db = connect(); PreparedStatement sql = db.prepareStatement("""
                select state, consecutive_failures, opened_at from delivery.destination_circuit where destination = ?""")) {
            sql.setString(1, destination);
            try (ResultSet row = sql.executeQuery()) {
                return row.next() ? row.getString(1) + " after " + row.getInt(2) + " consecutive failures" : "none";
            }
        }
    }

    private Connection connect() throws SQLException {
        var postgres = stack.postgres();
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
    }
}
