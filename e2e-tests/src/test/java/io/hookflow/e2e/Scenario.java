package io.hookflow.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.hookflow.stack.RecordedRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;

/**
 * One fault scenario of {@link ReplicasIT}: its own rule (trigger type {@code e2e.replicas.<name>}, target path
 * {@code /replicas/<name>/}), a stream of numbered webhooks, and the count once the system is quiet: how many accepted
 * webhooks were lost and how many were delivered more than once.
 */
final class Scenario {

    static final Set<String> FINAL = Set.of("SUCCEEDED", "FAILED", "CANCELED");
    static final Duration QUIET_WITHIN = Duration.ofSeconds(180);
    /** Three delivery worker polls and then some: a late duplicate or takeover would show inside it. */
    static final Duration SETTLE = Duration.ofSeconds(4);

    final String name;
    final String trigger;
    final String prefix;
    final String ruleId;
    private final ReplicatedSystem system;
    private final long begin = System.nanoTime();
    private WebhookStream stream;
    private Result result;

    /** What a scenario found once the system was quiet. */
    record Result(String scenario, int sent, int accepted, int lost, int duplicates, int allowedDuplicates,
                  int targetRequests, Map<String, Integer> clientRetries, long seconds, String note) {

        String line() {
            return String.format("REPLICAS scenario=%s sent=%d accepted=%d lost=%d duplicates=%d (window %d) "
                            + "target-requests=%d client-retries=%s took=%ds%s", scenario, sent, accepted, lost, duplicates,
                    allowedDuplicates, targetRequests, clientRetries, seconds, note.isEmpty() ? "" : " " + note);
        }
    }

    /**
     * Creates the scenario's rule; {@code extraParameters} are added to its core.http parameters (JSON members, e.g.
     * {@code "timeout": 2, "retry": {...}}), or empty.
     */
    Scenario(ReplicatedSystem system, String name, String extraParameters) {
        this.system = system;
        this.name = name;
        this.trigger = "e2e.replicas." + name.replace('-', '_');
        this.prefix = "/replicas/" + name + "/";
        String rule = """
                {"name": "%s", "pack": "e2e_replicas", "enabled": true, "trigger": {"type": "%s"},
                 "action": {"ref": "core.http", "parameters": {"url": "%s?n={{ trigger.n }}", "method": "POST",
                   "body": "{{ trigger.n }}"%s}}}
                """.formatted(name.replace('-', '_'), trigger, system.target.url(prefix + "hook"),
                extraParameters.isEmpty() ? "" : ", " + extraParameters);
        this.ruleId = given().baseUri(system.url("rules-service")).header("St2-Api-Key", ReplicatedSystem.KEY)
                .contentType("application/json").body(rule).post("/api/v1/rules")
                .then().statusCode(201).extract().path("id");
        // Every ingest and rules replica knows the trigger once a webhook of it is matched end to end; the stream's
        // first webhooks must not race the rule's arrival at the other replica.
        awaitRuleEverywhere();
    }

    WebhookStream send(int count, int perSecond) {
        stream = WebhookStream.start(system.url("ingest-service"), ReplicatedSystem.KEY, trigger, count, perSecond);
        return stream;
    }

    /** Waits until the stream has had {@code count} webhooks accepted: the moment for a fault mid-stream. */
    void awaitAccepted(int count) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                .until(() -> stream.acceptedCount() >= count);
    }

    /**
     * Waits for the stream to end and the system to be quiet, then counts. Quiet: both consumer groups have committed
     * everything, rules enforced every accepted webhook and every execution of the rule is final; then a settle window
     * passes in which neither the target nor the database sees anything new, so a late duplicate cannot slip past.
     */
    Result finish(int allowedDuplicates, String note) throws Exception {
        Map<Integer, String> accepted = stream.finish(Duration.ofSeconds(240));
        try (Admin admin = system.admin()) {
            await().atMost(QUIET_WITHIN).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> HookflowSystem.lag(admin, "hookflow-rules", "trigger-events") == 0
                            && HookflowSystem.lag(admin, "hookflow-delivery", "action-tasks") == 0
                            && settled(accepted.size()));
        }
        List<Object> before = List.of(system.target.requestsTo(prefix).size(), progress());
        await().during(SETTLE).atMost(SETTLE.multipliedBy(5)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> List.of(system.target.requestsTo(prefix).size(), progress()).equals(before)
                        && settled(accepted.size()));
        return count(accepted, allowedDuplicates, note);
    }

    private boolean settled(int accepted) throws SQLException {
        try (Connection db = system.database()) {
            long enforced = single(db, "select count(*) from rules.rule_enforcement where rule_id = cast(? as uuid)");
            long[] executions = pair(db, "select count(*), count(*) filter (where status in ('SUCCEEDED', 'FAILED', "
                    + "'CANCELED')) from delivery.execution where rule_id = ?");
            // At least one enforcement per accepted webhook (a webhook answered 503 after the broker had stored it, then
            // sent again, is enforced twice: count() bounds those duplicates by the scenario's window, and finds the
            // lost), and every enforcement's execution is final.
            return enforced >= accepted && executions[0] == enforced && executions[1] == enforced;
        }
    }

    /** Executions' statuses and attempt counts, summed: changes whenever anything happens to the rule's work. */
    private List<Long> progress() throws SQLException {
        try (Connection db = system.database()) {
            long[] both = pair(db, "select count(*), coalesce(sum(attempt_count), 0) from delivery.execution "
                    + "where rule_id = ?");
            return List.of(both[0], both[1], single(db, "select count(*) from delivery.execution where rule_id = ? "
                    + "and status = 'SUCCEEDED'"));
        }
    }

    private Result count(Map<Integer, String> accepted, int allowedDuplicates, String note) throws SQLException {
        Map<String, String> statusByInstance = new HashMap<>();
        long pairs;
        try (Connection db = system.database()) {
            try (PreparedStatement query = db.prepareStatement(
                    "select trigger_instance_id, status from delivery.execution where rule_id = ?")) {
                query.setString(1, ruleId);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        if (statusByInstance.put(rows.getString(1), rows.getString(2)) != null) {
                            throw new AssertionError("two executions of (" + rows.getString(1) + ", " + name + ")");
                        }
                    }
                }
            }
            pairs = single(db, "select count(distinct trigger_instance_id) from rules.rule_enforcement "
                    + "where rule_id = cast(? as uuid)");
        }
        Map<String, Integer> delivered = new HashMap<>();
        for (RecordedRequest request : system.target.deliveredTo(prefix)) {
            delivered.merge(request.body(), 1, Integer::sum);
        }
        Set<Integer> lost = new HashSet<>();
        accepted.forEach((n, instance) -> {
            if (!"SUCCEEDED".equals(statusByInstance.get(instance)) || !delivered.containsKey(String.valueOf(n))) {
                lost.add(n);
            }
        });
        int duplicates = delivered.values().stream().mapToInt(times -> times - 1).sum();
        Set<String> acceptedNumbers = new HashSet<>();
        accepted.keySet().forEach(n -> acceptedNumbers.add(String.valueOf(n)));
        List<String> unexpected = new ArrayList<>(delivered.keySet());
        unexpected.removeAll(acceptedNumbers);
        if (!unexpected.isEmpty() || statusByInstance.size() != accepted.size() || pairs != accepted.size()) {
            throw new AssertionError(name + ": one execution and one enforcement per accepted webhook expected; "
                    + accepted.size() + " accepted, " + statusByInstance.size() + " executions, " + pairs
                    + " enforced, delivered but never accepted: " + unexpected);
        }
        if (!lost.isEmpty()) {
            System.out.println("REPLICAS " + name + " lost: " + new TreeMap<>(accepted).entrySet().stream()
                    .filter(entry -> lost.contains(entry.getKey())).limit(10)
                    .map(entry -> entry.getKey() + "=" + statusByInstance.get(entry.getValue())).toList());
        }
        result = new Result(name, accepted.size(), accepted.size(), lost.size(), duplicates, allowedDuplicates,
                system.target.requestsTo(prefix).size(), stream.retried(),
                Duration.ofNanos(System.nanoTime() - begin).toSeconds(), note);
        System.out.println(result.line());
        return result;
    }

    /**
     * Every rules replica enforces the rule once its index is at the revision the rule's creation made (each polls
     * the revision every 200 ms): before that, a webhook taken by the other replica would match nothing.
     */
    /** What {@link #finish} counted. */
    Result result() {
        return result;
    }

    private void awaitRuleEverywhere() {
        system.awaitRulesEverywhere();
    }

    private long single(Connection db, String sql) throws SQLException {
        return pair(db, sql)[0];
    }

    private long[] pair(Connection db, String sql) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(sql)) {
            query.setString(1, ruleId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getMetaData().getColumnCount() > 1 ? new long[] {rows.getLong(1), rows.getLong(2)}
                        : new long[] {rows.getLong(1)};
            }
        }
    }
}
