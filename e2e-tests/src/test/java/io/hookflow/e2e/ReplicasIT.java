package io.hookflow.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two replicas each of ingest-, rules- and delivery-service sharing real work on one broker and one database, and
 * faults mid-stream, each its own scenario with its own rule and target path on one shared system (a scenario that
 * stops a replica brings it back before the next one). Every scenario counts, once the system is quiet, the accepted
 * webhooks that were lost (must be 0) and those delivered more than once (at most the scenario's at-least-once
 * window, see docs/operations.md); each line is printed as {@code REPLICAS scenario=...}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {

    /** The steady stream of the first scenario, and of each fault scenario (fewer, to keep CI time reasonable). */
    static final int WEBHOOKS = 2000;
    static final int RATE = 200;
    static final int FAULT_WEBHOOKS = 300;
    static final int FAULT_RATE = 75;
    /** Where a fault strikes: after this many of a fault scenario's webhooks were accepted. */
    static final int FAULT_AT = 100;
    /**
     * What a delivery replica killed mid-stream can have sent without recording: its attempts in flight (at most
     * max-in-flight, 64) and finished ones still queued for recording (at most 4 x 64).
     */
    static final int DELIVERY_CRASH_WINDOW = 64 + 4 * 64;
    /** Longer than a replica's whole graceful shutdown may take (well inside Kubernetes' 30 s grace). */
    static final Duration GRACEFUL_WITHIN = Duration.ofSeconds(30);
    static final Pattern DELIVERY_DRAINED = Pattern.compile(
            "Delivery drained in (\\d+) ms: (\\d+) attempt\\(s\\) were in flight, (\\d+) handed back unfinished, "
                    + "(\\d+) left unrecorded");

    ReplicatedSystem system;
    final List<Scenario.Result> results = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        system = ReplicatedSystem.start();
    }

    @AfterAll
    void stop() throws Exception {
        results.forEach(result -> System.out.println(result.line()));
        Files.write(ReplicatedSystem.WORK.resolve("results.txt"), results.stream().map(Scenario.Result::line).toList());
        if (system != null) {
            System.out.println("REPLICAS resident memory per replica, MB: " + system.residentMegabytes());
            system.close();
        }
    }

    /** Whatever a scenario stopped comes back, and the target answers again, before the next one. */
    @AfterEach
    void restore() {
        system.target.releaseHeld();
        system.restartStopped();
    }

    @Test
    @Order(1)
    void shouldDeliverEveryWebhookOnceWithEveryReplicaDoingPartOfTheWork() throws Exception {
        Map<Integer, Double> ingestBefore = acceptedByIngest();
        Map<Integer, Double> rulesBefore = enforcedByRules();
        Map<Integer, Double> deliveryBefore = deliveredByDelivery();

        Scenario scenario = new Scenario(system, "steady", "");
        scenario.send(WEBHOOKS, RATE);
        Scenario.Result result = record(scenario.finish(0, ""));

        assertEquals(WEBHOOKS, result.accepted());
        assertEquals(0, result.lost(), result.line());
        assertEquals(0, result.duplicates(), result.line());
        assertEveryReplicaWorked("ingest-service (webhooks accepted)", ingestBefore, acceptedByIngest());
        assertEveryReplicaWorked("rules-service (trigger instances enforced)", rulesBefore, enforcedByRules());
        assertEveryReplicaWorked("delivery-service (attempts delivered)", deliveryBefore, deliveredByDelivery());
    }

    @Test
    @Order(2)
    void shouldDeliverEverythingThroughRetriesWhenTheTargetFailsFor30Seconds() throws Exception {
        // Retries every 1-3 s (the rule's own policy) instead of the production schedule, so recovery shows in seconds.
        Scenario scenario = midStream("target-500", "\"retry\": {\"maxAttempts\": 20, \"schedule\": [1, 2, 3]}", 0,
                target -> {
                    system.target.respondWith(target.prefix, 500);
                    long failingSince = System.nanoTime();
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> System.nanoTime() - failingSince >= Duration.ofSeconds(30).toNanos());
                    system.target.respondWith(target.prefix, 200);
                    return "(500 for 30 s, then 200)";
                });
        assertTrue(scenario.result().targetRequests() > scenario.result().accepted(), "the failures were retried");
    }

    @Test
    @Order(3)
    void shouldRetryRequestsTheTargetNeverAnswersAndLeaveNothingStuck() throws Exception {
        int silent = 20;
        // A 2 s read timeout (the rule's own), retried after 1 s: the held requests time out and go again.
        Scenario scenario = midStream("target-silent", "\"timeout\": 2, \"retry\": {\"maxAttempts\": 10, \"schedule\": [1]}",
                0, target -> {
                    system.target.hold(target.prefix, silent);
                    return "(" + silent + " requests never answered)";
                });
        assertEquals(scenario.result().accepted() + silent, scenario.result().targetRequests(),
                "each unanswered request sent once more");
        assertNothingRunning(scenario);
    }

    @Test
    @Order(4)
    void shouldLoseNothingWhenTheBrokerRestartsMidStream() throws Exception {
        // A webhook whose acknowledgement the restart cut off is answered 503 though stored; its retry, with the same
        // key, is then stored again: at most one per webhook in flight at ingest.
        midStream("broker-restart", "", WebhookStream.SENDERS, scenario -> {
            system.stack.restartBroker();
            system.awaitReady();
            return "(controlled broker restart)";
        });
    }

    @Test
    @Order(5)
    void shouldLoseNothingWhenPostgresRestartsMidStream() throws Exception {
        // Attempts sent but not yet recorded when the database went are sent again after their lease, on either replica.
        midStream("postgres-restart", "", 2 * DELIVERY_CRASH_WINDOW, scenario -> {
            system.stack.restartPostgres();
            system.awaitReady();
            return "(fast shutdown and start)";
        });
    }

    @Test
    @Order(6)
    void shouldLoseNothingWhenARulesReplicaIsKilledMidStream() throws Exception {
        // Its uncommitted events go to the other replica, which publishes the same task ids: no second execution.
        midStream("kill-rules", "", 0, scenario -> {
            system.service("rules-service").kill(1);
            return "(kill -9 of rules replica 2 of 2)";
        });
    }

    @Test
    @Order(7)
    void shouldLoseNothingWhenADeliveryReplicaIsKilledMidStream() throws Exception {
        // Its leases (15 s) expire and the other replica takes over; what it had sent unrecorded is sent again.
        midStream("kill-delivery", "", DELIVERY_CRASH_WINDOW, scenario -> {
            system.service("delivery-service").kill(1);
            return "(kill -9 of delivery replica 2 of 2)";
        });
    }

    @Test
    @Order(8)
    void shouldDrainAnIngestReplicaOnSigtermWithoutFailingAnyRequest() throws Exception {
        Scenario scenario = midStream("sigterm-ingest", "", 0, sigterm("ingest-service"));
        // Readiness went down first, so the proxy moved new requests to the other replica before the port closed.
        assertEquals(Map.of(), scenario.result().clientRetries(), "requests refused or cut off by the draining replica");
    }

    @Test
    @Order(9)
    void shouldDrainARulesReplicaOnSigtermCommittingWhatItFinished() throws Exception {
        var replica = system.service("rules-service").replica(0);
        midStream("sigterm-rules", "", 0, sigterm("rules-service"));
        assertTrue(Files.readString(replica.logFile()).contains("Rules enforcement drained"), "the drain ran");
    }

    @Test
    @Order(10)
    void shouldDrainADeliveryReplicaOnSigtermFinishingOrHandingBackItsAttempts() throws Exception {
        var replica = system.service("delivery-service").replica(0);
        String[] drain = new String[4];
        Scenario scenario = midStream("sigterm-delivery", "", 0, target -> {
            String note = sigterm("delivery-service").strike(target);
            // Replica 0 leases for 40 s, replica 1 for 15 s: a lease running beyond 17 s from now is one the stopped
            // replica left behind instead of finishing or handing it back.
            try (Connection db = system.database(); ResultSet row = db.createStatement().executeQuery(
                    "select count(*) from delivery.execution where status = 'RUNNING' and lease_expires_at > now() + "
                            + "interval '" + (ReplicatedSystem.SHORT_LEASE.toSeconds() + 2) + " seconds'")) {
                row.next();
                assertEquals(0, row.getLong(1), "executions left RUNNING under the stopped replica's lease");
            }
            Matcher drained = DELIVERY_DRAINED.matcher(Files.readString(replica.logFile()));
            assertTrue(drained.find(), "the drain ran and said what it did");
            for (int i = 0; i < drain.length; i++) {
                drain[i] = drained.group(i + 1);
            }
            return note.replace(")", "; drain: " + drain[1] + " in flight, " + drain[2] + " handed back)");
        });
        assertEquals("0", drain[3], "every finished attempt recorded before exit");
        assertNothingRunning(scenario);
    }

    /** What a scenario does to the system once {@link #FAULT_AT} of its webhooks were accepted; returns a note. */
    @FunctionalInterface
    interface Fault {
        String strike(Scenario scenario) throws Exception;
    }

    /**
     * A scenario of {@link #FAULT_WEBHOOKS} at {@link #FAULT_RATE} with the fault striking mid-stream; then, once
     * quiet: nothing lost, and no more duplicates than the fault's at-least-once window.
     */
    private Scenario midStream(String name, String ruleParameters, int window, Fault fault) throws Exception {
        Scenario scenario = new Scenario(system, name, ruleParameters);
        scenario.send(FAULT_WEBHOOKS, FAULT_RATE);
        scenario.awaitAccepted(FAULT_AT);
        String note = fault.strike(scenario);
        Scenario.Result result = record(scenario.finish(window, note));
        assertEquals(0, result.lost(), result.line());
        assertTrue(result.duplicates() <= window, result.line());
        return scenario;
    }

    /** SIGTERM of the service's replica 0, which must stop on its own well inside the grace period. */
    private Fault sigterm(String service) {
        return scenario -> "(SIGTERM of " + service + " replica 1, shut down in " + terminate(service, 0).toMillis()
                + " ms)";
    }

    private Duration terminate(String service, int replica) {
        Optional<Duration> took = system.service(service).terminate(replica);
        assertTrue(took.isPresent(), service + " replica " + replica + " had to be killed after its grace period");
        assertTrue(took.get().compareTo(GRACEFUL_WITHIN) < 0, service + " took " + took.get() + " to stop");
        return took.get();
    }

    private void assertNothingRunning(Scenario scenario) throws Exception {
        try (Connection db = system.database(); var query = db.prepareStatement(
                "select count(*) from delivery.execution where rule_id = ? and status not in ('SUCCEEDED')")) {
            query.setString(1, scenario.ruleId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                assertEquals(0, row.getLong(1), "executions of " + scenario.name + " not SUCCEEDED after quiet");
            }
        }
    }

    private Scenario.Result record(Scenario.Result result) {
        results.add(result);
        return result;
    }

    private Map<Integer, Double> acceptedByIngest() {
        return system.metricPerReplica("ingest-service", "http_server_requests_seconds_count",
                "uri=\"/api/v1/webhooks/st2\"", "status=\"202\"");
    }

    private Map<Integer, Double> enforcedByRules() {
        return system.metricPerReplica("rules-service", "hookflow_rules_trigger_instances_enforced_total");
    }

    private Map<Integer, Double> deliveredByDelivery() {
        return system.metricPerReplica("delivery-service", "hookflow_delivery_attempts_total", "outcome=\"success\"");
    }

    private static void assertEveryReplicaWorked(String what, Map<Integer, Double> before, Map<Integer, Double> after) {
        StringBuilder shares = new StringBuilder();
        after.forEach((replica, value) -> shares.append(" replica ").append(replica + 1).append(": ")
                .append(Math.round(value - before.getOrDefault(replica, 0.0))));
        System.out.println("REPLICAS work shares, " + what + ":" + shares);
        after.forEach((replica, value) -> assertTrue(value - before.getOrDefault(replica, 0.0) > 0,
                what + ": replica " + (replica + 1) + " did none of the work;" + shares));
    }
}
