package io.hookflow.delivery.replay;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.auth.Tokens;
import io.hookflow.delivery.DeliveryTestSupport;
import io.hookflow.delivery.execution.Attempt;
import io.hookflow.delivery.execution.AttemptOutcome;
import io.hookflow.delivery.execution.AttemptRepository;
import io.hookflow.delivery.execution.Execution;
import io.hookflow.delivery.execution.ExecutionRepository;
import io.hookflow.delivery.execution.ExecutionStatus;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bulk replay against the real database and worker: each test has its own organisation, so a job can only ever see
 * the executions the test seeded.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class ReplayTest {

    static RequestSink sink;

    @Inject
    ExecutionRepository executions;

    @Inject
    AttemptRepository attempts;

    @Inject
    ReplayJobRepository jobs;

    @Inject
    EntityManager entityManager;

    @BeforeAll
    static void startSink() {
        sink = RequestSink.start(0);
    }

    @AfterAll
    static void stopSink() {
        sink.close();
    }

    @Test
    void shouldReplayExactlyTheMatchingExecutionsAndKeepTheirHistory() {
        String org = newOrg();
        String other = newOrg();
        Instant inRange = Instant.now().minus(Duration.ofHours(2));
        UUID first = seed(org, "/replay/match-1", ExecutionStatus.FAILED, inRange, e -> { });
        UUID second = seed(org, "/replay/match-2", ExecutionStatus.FAILED, inRange.plusSeconds(1), e -> { });
        earlierAttempt(first);
        List<UUID> untouched = List.of(
                seed(org, "/replay/succeeded", ExecutionStatus.SUCCEEDED, inRange, e -> { }),
                seed(org, "/replay/canceled", ExecutionStatus.CANCELED, inRange, e -> { }),
                seed(org, "/replay/too-old", ExecutionStatus.FAILED, inRange.minus(Duration.ofHours(5)), e -> { }),
                seed(other, "/replay/other-org", ExecutionStatus.FAILED, inRange, e -> { }),
                DeliveryTestSupport.seed(executions, org, request("http://127.0.0.1:1/replay/other-destination"),
                        ExecutionStatus.FAILED, inRange, e -> { }));
        List<String> before = untouched.stream().map(this::state).toList();

        String id = as(org).contentType("application/json")
                .body(Map.of("since", Instant.now().minus(Duration.ofHours(3)).toString(),
                        "destination", "127.0.0.1:" + sink.port()))
                .post("/api/v1/executions/replay")
                .then().statusCode(202)
                .body("id", startsWith("rpl_"))
                .body("status", equalTo("running"))
                .body("filter.statuses", equalTo(List.of("FAILED")))
                .body("ratePerSecond", equalTo(50))
                .extract().path("id");

        awaitJob(org, id, "completed").body("matched", equalTo(2)).body("queued", equalTo(2));
        for (UUID replayed : List.of(first, second)) {
            awaitStatus(org, replayed, "SUCCEEDED");
        }
        as(org).get("/api/v1/executions/" + first).then().statusCode(200)
                .body("attemptCount", equalTo(2))
                .body("attempts", hasSize(2))
                .body("attempts.number", equalTo(List.of(1, 2)))
                .body("attempts[0].error", equalTo("HTTP 503 from the outage"))
                .body("transitions.to", hasItem("RETRYING"))
                .body("transitions.find { it.from == 'FAILED' }.to", equalTo("RETRYING"));
        assertEquals(1, sink.requestsTo("/replay/match-1").size());
        assertEquals(1, sink.requestsTo("/replay/match-2").size());
        assertEquals(before, untouched.stream().map(this::state).toList(), "nothing else was re-queued");
        for (String path : List.of("/replay/succeeded", "/replay/canceled", "/replay/too-old", "/replay/other-org")) {
            assertTrue(sink.requestsTo(path).isEmpty(), path + " was not to be sent");
        }

        // Another organisation neither sees nor cancels the job; the list shows it to its own.
        as(other).get("/api/v1/executions/replay/" + id).then().statusCode(404).body("error", equalTo("not_found"));
        as(other).post("/api/v1/executions/replay/" + id + "/cancel").then().statusCode(404);
        as(other).get("/api/v1/executions/replay").then().statusCode(200).body("items", hasSize(0));
        as(org).get("/api/v1/executions/replay").then().statusCode(200).body("items.id", equalTo(List.of(id)));
        as(org).post("/api/v1/executions/replay/" + id + "/cancel").then().statusCode(409)
                .body("error", equalTo("conflict"));
    }

    @Test
    void shouldReplaySucceededAndCanceledExecutionsOfOneRuleWhenAsked() {
        String org = newOrg();
        Instant inRange = Instant.now().minus(Duration.ofMinutes(30));
        UUID succeeded = seed(org, "/replay/again-ok", ExecutionStatus.SUCCEEDED, inRange, e -> { });
        UUID canceled = seed(org, "/replay/again-canceled", ExecutionStatus.CANCELED, inRange, e -> { });
        UUID failed = seed(org, "/replay/again-failed", ExecutionStatus.FAILED, inRange, e -> { });
        UUID otherRule = seed(org, "/replay/again-other-rule", ExecutionStatus.SUCCEEDED, inRange, e -> {
            e.ruleId = "rule-other";
            e.ruleRef = "demo.other_rule";
        });
        String failedBefore = state(failed);
        String otherRuleBefore = state(otherRule);

        String id = start(org, Map.of("since", inRange.minusSeconds(60).toString(),
                "status", List.of("SUCCEEDED", "canceled"), "ruleId", "demo.ops_rule"));

        awaitJob(org, id, "completed").body("matched", equalTo(2)).body("queued", equalTo(2));
        awaitStatus(org, succeeded, "SUCCEEDED").body("attemptCount", equalTo(2))
                .body("transitions.find { it.from == 'SUCCEEDED' }.to", equalTo("RETRYING"));
        awaitStatus(org, canceled, "SUCCEEDED");
        assertEquals(1, sink.requestsTo("/replay/again-ok").size());
        assertEquals(failedBefore, state(failed));
        assertEquals(otherRuleBefore, state(otherRule));
        assertTrue(sink.requestsTo("/replay/again-other-rule").isEmpty());
    }

    @Test
    void shouldNeverRequeueMoreThanTheRateInAnySecond() {
        String org = newOrg();
        int rate = 4;
        Instant inRange = Instant.now().minus(Duration.ofHours(1));
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            ids.add(seed(org, "/replay/rate-" + i, ExecutionStatus.FAILED, inRange.plusSeconds(i), e -> { }));
        }

        String id = start(org, Map.of("since", inRange.minusSeconds(1).toString(), "ratePerSecond", rate));

        awaitJob(org, id, "completed").body("queued", equalTo(13));
        // When each was re-queued, from its history: no rate + 1 of them within one second.
        List<Instant> requeued = new ArrayList<>();
        for (UUID execution : ids) {
            String at = as(org).get("/api/v1/executions/" + execution).then().statusCode(200)
                    .extract().path("transitions.find { it.from == 'FAILED' }.at");
            requeued.add(Instant.parse(at));
        }
        requeued.sort(null);
        for (int i = 0; i + rate < requeued.size(); i++) {
            Duration apart = Duration.between(requeued.get(i), requeued.get(i + rate));
            assertTrue(apart.compareTo(Duration.ofSeconds(1)) >= 0,
                    "executions " + i + " and " + (i + rate) + " were re-queued " + apart + " apart: " + requeued);
        }
    }

    @Test
    void shouldRequeueNothingMoreOnceCanceled() {
        String org = newOrg();
        Instant inRange = Instant.now().minus(Duration.ofHours(1));
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(seed(org, "/replay/cancel-" + i, ExecutionStatus.FAILED, inRange.plusSeconds(i), e -> { }));
        }
        String id = start(org, Map.of("since", inRange.minusSeconds(1).toString(), "ratePerSecond", 2));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                as(org).get("/api/v1/executions/replay/" + id).then().extract().<Integer>path("queued") >= 2);

        as(org).post("/api/v1/executions/replay/" + id + "/cancel").then().statusCode(200)
                .body("status", equalTo("canceled"));
        int queued = as(org).get("/api/v1/executions/replay/" + id).then().extract().path("queued");

        // Several windows of the rate later, still exactly what was queued before the cancel.
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5)).until(() ->
                as(org).get("/api/v1/executions/replay/" + id).then().extract().<Integer>path("queued") == queued);
        long moved = ids.stream().filter(execution -> !state(execution).startsWith("FAILED")).count();
        assertEquals(queued, moved, "executions re-queued");
        assertTrue(queued < 30);
        as(org).post("/api/v1/executions/replay/" + id + "/cancel").then().statusCode(409);
    }

    @Test
    void shouldResumeFromItsCursorOnlyOnceTheDeadRunnersLeaseExpired() {
        String org = newOrg();
        Instant base = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS);
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(seed(org, "/replay/resume-" + i, ExecutionStatus.FAILED, base.plusSeconds(i), e -> { }));
        }
        // A job another replica took and walked to the third execution, then died: its lease has 3 s left.
        String id = "rpl_resume" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        QuarkusTransaction.requiringNew().run(() -> {
            jobs.insert(org, new ReplayJob(id, new ReplayFilter(List.of(ExecutionStatus.FAILED), null, null,
                    base.minusSeconds(1), now), 50, ReplayJob.RUNNING, 0, 0, null, now, now, null));
            entityManager.createNativeQuery("""
                            update {h-schema}replay_job set lease_owner = 'replica-that-died', lease_expires_at = :lease,
                                matched = 3, queued = 3, cursor_created_at = :cursorAt, cursor_id = :cursorId
                            where id = :id""")
                    .setParameter("lease", now.plusSeconds(3))
                    .setParameter("cursorAt", base.plusSeconds(2))
                    .setParameter("cursorId", ids.get(2))
                    .setParameter("id", id)
                    .executeUpdate();
        });

        // While the lease lasts, no other runner touches the job.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() ->
                ids.stream().allMatch(execution -> state(execution).startsWith("FAILED")));

        awaitJob(org, id, "completed").body("matched", equalTo(6)).body("queued", equalTo(6));
        for (UUID resumed : ids.subList(3, 6)) {
            awaitStatus(org, resumed, "SUCCEEDED");
        }
        for (UUID done : ids.subList(0, 3)) {
            assertTrue(state(done).startsWith("FAILED"), "before the cursor: the dead runner's part, not sent again");
        }
        assertTrue(sink.requestsTo("/replay/resume-0").isEmpty());
        assertEquals(1, sink.requestsTo("/replay/resume-5").size());
    }

    @Test
    void shouldAnswerBadFiltersWithClientErrors() {
        String org = newOrg();
        String since = Instant.now().minus(Duration.ofHours(1)).toString();
        invalid(org, Map.of(), "since");
        invalid(org, Map.of("since", "yesterday"), "since");
        invalid(org, Map.of("since", since, "status", "RUNNING"), "status");
        invalid(org, Map.of("since", since, "status", List.of()), "status");
        invalid(org, Map.of("since", since, "status", 7), "status");
        invalid(org, Map.of("since", Instant.now().minus(Duration.ofDays(40)).toString()), "until");
        invalid(org, Map.of("since", since, "until", Instant.now().minus(Duration.ofHours(2)).toString()), "since");
        invalid(org, Map.of("since", since, "ratePerSecond", 0), "ratePerSecond");
        invalid(org, Map.of("since", since, "ratePerSecond", 5000), "ratePerSecond");
        invalid(org, Map.of("since", since, "ratePerSecond", "fast"), "ratePerSecond");
        invalid(org, Map.of("since", since, "destination", "a:b:c"), "destination");
        invalid(org, Map.of("since", since, "destination", "hooks.example.com:99999"), "destination");
        invalid(org, Map.of("since", since, "ruleId", ""), "ruleId");
        invalid(org, Map.of("since", since, "colour", "red"), "colour");

        as(org).contentType("application/json").body("{\"since\":").post("/api/v1/executions/replay")
                .then().statusCode(400).body("error", equalTo("bad_request"));
        as(org).contentType("application/json").body("[1]").post("/api/v1/executions/replay")
                .then().statusCode(400).body("error", equalTo("bad_request"));
        as(org).contentType("text/plain").body("{\"since\": \"" + since + "\"}").post("/api/v1/executions/replay")
                .then().statusCode(415).body("error", equalTo("unsupported_media_type"));
        as(org).post("/api/v1/executions/replay").then().statusCode(400);
        as(org).get("/api/v1/executions/replay/rpl_unknown").then().statusCode(404).body("error", equalTo("not_found"));
        as(org).get("/api/v1/executions/replay?limit=0").then().statusCode(400).body("details[0].path", equalTo("limit"));
        as(org).get("/api/v1/executions/replay?cursor=nope").then().statusCode(400);
        given().get("/api/v1/executions/replay").then().statusCode(401);
    }

    private void invalid(String org, Map<String, ?> body, String field) {
        as(org).contentType("application/json").body(body).post("/api/v1/executions/replay")
                .then().statusCode(400)
                .body("error", equalTo("validation_failed"))
                .body("details.path", hasItem(field));
    }

    private String start(String org, Map<String, ?> body) {
        return as(org).contentType("application/json").body(body).post("/api/v1/executions/replay")
                .then().statusCode(202).extract().path("id");
    }

    private io.restassured.response.ValidatableResponse awaitJob(String org, String id, String status) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                status.equals(as(org).get("/api/v1/executions/replay/" + id).then().extract().path("status")));
        return as(org).get("/api/v1/executions/replay/" + id).then().statusCode(200);
    }

    private io.restassured.response.ValidatableResponse awaitStatus(String org, UUID id, String status) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                status.equals(as(org).get("/api/v1/executions/" + id).then().extract().path("status")));
        return as(org).get("/api/v1/executions/" + id).then().statusCode(200);
    }

    private UUID seed(String org, String path, ExecutionStatus status, Instant createdAt, Consumer<Execution> adjust) {
        return DeliveryTestSupport.seed(executions, org, request(sink.url(path)), status, createdAt, adjust);
    }

    private static OutboundRequest request(String url) {
        return new OutboundRequest("POST", url, Map.of(), "x", null, null, null, null);
    }

    /** The first attempt, as the outage answered it: kept beside the replay's. */
    private void earlierAttempt(UUID execution) {
        QuarkusTransaction.requiringNew().run(() -> {
            Attempt attempt = new Attempt();
            attempt.id = UUID.randomUUID();
            attempt.executionId = execution;
            attempt.number = 1;
            attempt.startedAt = Instant.now().minus(Duration.ofHours(2));
            attempt.durationMs = 5;
            attempt.request = new ObjectMapper().createObjectNode();
            attempt.responseStatus = 503;
            attempt.error = "HTTP 503 from the outage";
            attempt.outcome = AttemptOutcome.FAILURE;
            attempts.persist(attempt);
        });
    }

    /** Status, attempts and next attempt, read from the database. */
    private String state(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Execution execution = executions.findById(id);
            return execution.status + " " + execution.attemptCount + " " + execution.nextAttemptAt + " "
                    + execution.updatedAt;
        });
    }

    private static String newOrg() {
        return "replay-" + UUID.randomUUID();
    }

    /** An API request authenticated as the organisation, by a token signed with the test profile's key. */
    private static RequestSpecification as(String org) {
        String key = ConfigProvider.getConfig().getValue("hookflow.auth.token-key", String.class);
        return given().header("X-Auth-Token",
                new Tokens(Optional.of(key)).issue(org, "replay-test", Instant.now().plusSeconds(600)));
    }
}
