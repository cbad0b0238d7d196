package io.hookflow.e2e;

import static io.hookflow.e2e.HookflowSystem.KEY;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.stack.RecordedRequest;
import io.hookflow.stack.RequestSink;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Recovering an outage with one bulk replay across the packaged services: a target answered 503 until every attempt
 * of a rule's executions was spent; once it is back, a replay job filtered on that rule and a start time re-sends each
 * failed execution exactly once as a new attempt, and nothing of another rule or what already succeeded.
 *
 * <p>The target is a sink of each test's own (its own destination, so its circuit is nobody else's), and each outage
 * stays below the local profile's circuit threshold of 10 consecutive failures: past it the circuit parks the rest
 * unattempted (RETRYING, not FAILED), which the circuit breaker's probe, not a replay, releases.
 */
@ExtendWith(HookflowSystem.class)
class ReplayAfterOutageIT {

    /** With the other rule's one failure, 9 in a row on the destination: one below the circuit threshold. */
    static final int FAILED = 8;
    /** A target of each test's own: a fresh destination, so one test's failures never add to another's streak. */
    RequestSink sink;
    static final Duration DELIVERED = Duration.ofSeconds(90);

    final HookflowSystem system = HookflowSystem.get();
    final String unique = UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    @BeforeEach
    void startTarget() {
        sink = RequestSink.start(0);
    }

    @AfterEach
    void stopTarget() {
        sink.close();
    }

    @Test
    void shouldResendEachFailedExecutionOfTheRuleOnceWhenTheTargetIsBackAndNothingElse() {
        Instant since = Instant.now().minusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
        String target = "/replay/" + unique + "/target";
        String otherTarget = "/replay/" + unique + "/other";
        String ref = createRule("outage_" + unique, "e2e.replay_" + unique, target);
        String otherRef = createRule("other_" + unique, "e2e.replay_other_" + unique, otherTarget);

        // Before the outage: one delivery of the rule succeeds.
        fire("e2e.replay_" + unique, "ok-0");
        await().atMost(DELIVERED).until(() -> executions(ref, "SUCCEEDED").size() == 1);

        // The outage: every request is answered 503 and the single attempt of each execution is spent.
        sink.respondWith(target, 503);
        sink.respondWith(otherTarget, 503);
        List<String> webhooks = IntStream.range(1, FAILED + 1).mapToObj(i -> "w-" + i).toList();
        webhooks.forEach(webhook -> fire("e2e.replay_" + unique, webhook));
        fire("e2e.replay_other_" + unique, "other-1");
        await().atMost(DELIVERED).until(() -> executions(ref, "FAILED").size() == FAILED
                && executions(otherRef, "FAILED").size() == 1);
        assertEquals(FAILED + 1, sink.requestsTo(target).size());
        assertEquals(Set.copyOf(webhooks), sink.requestsTo(target).stream().map(RecordedRequest::body)
                .filter(body -> !body.equals("ok-0")).collect(Collectors.toSet()));

        // The target is back; one job replays the rule's failures since the outage began.
        sink.respondWith(target, 200);
        sink.respondWith(otherTarget, 200);
        int before = sink.requestsTo(target).size();
        String job = given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY).contentType("application/json")
                .body("{\"since\": \"%s\", \"ruleId\": \"%s\", \"ratePerSecond\": 100}".formatted(since, ref))
                .post("/api/v1/executions/replay")
                .then().statusCode(202)
                .body("status", equalTo("running"))
                .body("filter.statuses", equalTo(List.of("FAILED")))
                .body("filter.ruleId", equalTo(ref))
                .extract().path("id");

        Map<String, Object> finished = awaitJob(job, "completed");
        assertEquals(FAILED, finished.get("matched"), finished.toString());
        assertEquals(FAILED, finished.get("queued"), finished.toString());

        await().atMost(DELIVERED).until(() -> executions(ref, "SUCCEEDED").size() == FAILED + 1);
        // Give a duplicate the time to show: three worker polls and more.
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10))
                .until(() -> sink.requestsTo(target).size() == before + FAILED);
        List<RecordedRequest> replayed = sink.requestsTo(target).subList(before, before + FAILED);
        Map<String, Long> timesByBody = replayed.stream()
                .collect(Collectors.groupingBy(RecordedRequest::body, Collectors.counting()));
        assertEquals(webhooks.stream().collect(Collectors.toMap(Function.identity(), webhook -> 1L)), timesByBody);

        // Each replayed execution kept its failed attempt and its history; the next attempt succeeded.
        for (String id : executions(ref, "SUCCEEDED")) {
            JsonPath execution = given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY)
                    .get("/api/v1/executions/" + id).then().statusCode(200).extract().jsonPath();
            List<Integer> statuses = execution.getList("attempts.responseStatus", Integer.class);
            if (statuses.size() == 1) {
                assertEquals(List.of(200), statuses, "the execution that succeeded before the outage");
                continue;
            }
            assertEquals(List.of(503, 200), statuses, id);
            assertEquals(List.of(1, 2), execution.getList("attempts.number", Integer.class), id);
            List<String> to = execution.getList("transitions.to", String.class);
            assertTrue(to.indexOf("FAILED") >= 0 && to.lastIndexOf("SUCCEEDED") > to.indexOf("FAILED"), to.toString());
        }

        // The other rule's failure was not the job's to replay.
        assertEquals(1, executions(otherRef, "FAILED").size());
        assertEquals(1, sink.requestsTo(otherTarget).size());

        // Rejections keep the JSON error body: a filter without since, an unknown job, cancelling a finished one.
        given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY).contentType("application/json")
                .body("{\"ruleId\": \"%s\"}".formatted(ref)).post("/api/v1/executions/replay")
                .then().statusCode(400).body("error", equalTo("validation_failed"))
                .body("details.path", hasItem("since"));
        given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY)
                .get("/api/v1/executions/replay/rpl_" + unique).then().statusCode(404)
                .body("error", equalTo("not_found")).body("message", notNullValue());
        given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY)
                .post("/api/v1/executions/replay/" + job + "/cancel").then().statusCode(409)
                .body("error", equalTo("conflict")).body("message", notNullValue());
    }

    @Test
    void shouldStopQueueingWhenASlowJobIsCanceled() {
        int failed = 9;
        Instant since = Instant.now().minusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
        String target = "/replay/" + unique + "/slow";
        String ref = createRule("slow_" + unique, "e2e.replay_slow_" + unique, target);
        sink.respondWith(target, 503);
        IntStream.range(0, failed).forEach(i -> fire("e2e.replay_slow_" + unique, "s-" + i));
        await().atMost(DELIVERED).until(() -> executions(ref, "FAILED").size() == failed);
        sink.respondWith(target, 200);
        int before = sink.requestsTo(target).size();
        assertEquals(failed, before);

        String job = given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY).contentType("application/json")
                .body("{\"since\": \"%s\", \"ruleId\": \"%s\", \"ratePerSecond\": 1}".formatted(since, ref))
                .post("/api/v1/executions/replay").then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> ((Number) job(job).get("queued")).intValue() >= 2);

        int queued = given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY)
                .post("/api/v1/executions/replay/" + job + "/cancel").then().statusCode(200)
                .body("status", equalTo("canceled")).extract().path("queued");
        assertTrue(queued >= 2 && queued < failed, "queued " + queued + " of " + failed);

        // What was queued is delivered, and nothing more: not within the seconds that would have queued several.
        await().atMost(DELIVERED).until(() -> sink.requestsTo(target).size() == before + queued);
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15))
                .until(() -> sink.requestsTo(target).size() == before + queued);
        Map<String, Object> after = job(job);
        assertEquals("canceled", after.get("status"));
        assertEquals(queued, after.get("queued"));
        assertEquals(queued, executions(ref, "SUCCEEDED").size());
        assertEquals(failed - queued, executions(ref, "FAILED").size());
    }

    private Map<String, Object> awaitJob(String id, String status) {
        Map<String, Object>[] last = new Map[1];
        await().atMost(DELIVERED).pollInterval(Duration.ofMillis(250)).until(() -> {
            last[0] = job(id);
            return status.equals(last[0].get("status"));
        });
        return last[0];
    }

    private Map<String, Object> job(String id) {
        return new HashMap<>(given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY)
                .get("/api/v1/executions/replay/" + id).then().statusCode(200).extract().jsonPath().getMap(""));
    }

    /** A rule posting the webhook's id to the path, one attempt per execution (no retry to wait through). */
    private String createRule(String name, String trigger, String path) {
        String rule = """
                {"name": "%s", "pack": "e2e_replay", "enabled": true,
                 "trigger": {"type": "%s"},
                 "action": {"ref": "core.http", "parameters": {"url": "%s", "method": "POST",
                    "body": "{{ trigger.id }}", "retry": {"maxAttempts": 1}}}}
                """.formatted(name, trigger, sink.url(path));
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/json").body(rule)
                .post("/api/v1/rules").then().statusCode(201);
        return "e2e_replay." + name;
    }

    private void fire(String trigger, String webhook) {
        given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY).contentType("application/json")
                .body("{\"trigger\": \"" + trigger + "\", \"payload\": {\"id\": \"" + webhook + "\"}}")
                .post("/api/v1/webhooks/st2").then().statusCode(202);
    }

    private List<String> executions(String ruleRef, String status) {
        return given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY)
                .queryParam("rule", ruleRef).queryParam("status", status).queryParam("limit", 100)
                .get("/api/v1/executions").then().statusCode(200).extract().jsonPath().getList("items.id", String.class);
    }
}
