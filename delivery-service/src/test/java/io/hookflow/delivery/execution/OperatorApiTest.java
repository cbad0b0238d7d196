package io.hookflow.delivery.execution;

import static io.hookflow.delivery.DeliveryTestSupport.KEY;
import static io.hookflow.delivery.DeliveryTestSupport.awaitStatus;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.delivery.DeliveryTestSupport;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.JsonConfig;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retry, cancel, filters and stats. Executions are seeded in the real database in the state a test needs (a retry
 * scheduled an hour ahead is never picked up meanwhile), so no test depends on timing.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class OperatorApiTest {

    static RequestSink sink;

    @Inject
    ExecutionRepository executions;

    @Inject
    AttemptRepository attempts;

    @BeforeAll
    static void startSink() {
        sink = RequestSink.start(0);
    }

    @AfterAll
    static void stopSink() {
        sink.close();
    }

    @Test
    void shouldCancelARetryingExecutionAndRefuseToCancelItTwice() {
        UUID id = seed("default", sink.url("/hooks/cancel"), ExecutionStatus.RETRYING, Instant.now());

        api().post("/api/v1/executions/" + id + "/cancel")
                .then().statusCode(200)
                .body("status", equalTo("CANCELED"))
                .body("nextAttemptAt", nullValue())
                .body("finishedAt", notNullValue());
        api().post("/api/v1/executions/" + id + "/cancel")
                .then().statusCode(409)
                .body("error", equalTo("conflict"))
                .body("message", containsString("CANCELED already"));
    }

    @Test
    void shouldRetryAFailedExecutionNowAsItsNextAttempt() {
        UUID id = seed("default", sink.url("/hooks/retry-failed"), ExecutionStatus.FAILED, Instant.now());

        api().post("/api/v1/executions/" + id + "/retry")
                .then().statusCode(202).body("status", equalTo("RETRYING"));

        awaitStatus(id.toString(), "SUCCEEDED")
                .body("attemptCount", equalTo(2))
                .body("attempts", hasSize(1))
                .body("attempts[0].number", equalTo(2))
                .body("attempts[0].responseStatus", equalTo(200));
        assertTrue(sink.requests().stream().anyMatch(r -> r.path().equals("/hooks/retry-failed")));
    }

    @Test
    void shouldRetryACanceledExecution() {
        UUID id = seed("default", sink.url("/hooks/retry-canceled"), ExecutionStatus.RETRYING, Instant.now());
        api().post("/api/v1/executions/" + id + "/cancel").then().statusCode(200);

        api().post("/api/v1/executions/" + id + "/retry").then().statusCode(202);

        awaitStatus(id.toString(), "SUCCEEDED").body("attemptCount", equalTo(2));
    }

    @Test
    void shouldRefuseToRetryAnExecutionThatHasNotFinished() {
        UUID id = seed("default", sink.url("/hooks/not-yet"), ExecutionStatus.RETRYING, Instant.now());

        api().post("/api/v1/executions/" + id + "/retry")
                .then().statusCode(409)
                .body("error", equalTo("conflict"))
                .body("message", containsString("only FAILED or CANCELED"));
    }

    @Test
    void shouldAnswerNotFoundForAnotherOrganisationsOrAnUnknownExecution() {
        UUID foreign = seed("other-org", sink.url("/hooks/foreign"), ExecutionStatus.FAILED, Instant.now());

        for (String id : new String[] {foreign.toString(), UUID.randomUUID().toString(), "not-a-uuid"}) {
            api().get("/api/v1/executions/" + id).then().statusCode(404).body("error", equalTo("not_found"));
            api().post("/api/v1/executions/" + id + "/retry").then().statusCode(404).body("error", equalTo("not_found"));
            api().post("/api/v1/executions/" + id + "/cancel").then().statusCode(404).body("error", equalTo("not_found"));
        }
        given().post("/api/v1/executions/" + foreign + "/retry").then().statusCode(401);
    }

    @Test
    void shouldLeaveAnotherOrganisationsExecutionUnchangedWhenAskedToRetryOrCancelIt() {
        // One execution each operation would change: a FAILED one to retry, a RETRYING one to cancel.
        UUID failed = seed("other-org", sink.url("/hooks/foreign-failed"), ExecutionStatus.FAILED, Instant.now());
        UUID retrying = seed("other-org", sink.url("/hooks/foreign-retrying"), ExecutionStatus.RETRYING, Instant.now());
        String failedBefore = state(failed);
        String retryingBefore = state(retrying);

        api().post("/api/v1/executions/" + failed + "/retry").then().statusCode(404).body("error", equalTo("not_found"));
        api().post("/api/v1/executions/" + retrying + "/cancel").then().statusCode(404).body("error", equalTo("not_found"));
        api().post("/api/v1/executions/" + retrying + "/retry").then().statusCode(404);
        api().post("/api/v1/executions/" + failed + "/cancel").then().statusCode(404);

        // Both operations change the row in the request's own transaction, so the row read now shows any change.
        assertEquals(failedBefore, state(failed));
        assertEquals(retryingBefore, state(retrying));
        assertEquals(List.of(), sink.requestsTo("/hooks/foreign-"), "nothing was sent for them");
    }

    @Test
    void shouldFilterByDestinationHostAndTimeRange() {
        String host = "h-" + UUID.randomUUID() + ".example.com";
        Instant base = Instant.parse("2026-01-10T12:00:00Z");
        UUID older = seed("default", "https://" + host + "/a", ExecutionStatus.FAILED, base.minus(Duration.ofHours(2)));
        UUID newer = seed("default", "https://" + host.toUpperCase() + "/b", ExecutionStatus.FAILED, base.minus(Duration.ofHours(1)));
        seed("default", "https://other-" + host + "/c", ExecutionStatus.FAILED, base.minus(Duration.ofHours(1)));

        api().queryParam("host", host.toUpperCase()).get("/api/v1/executions")
                .then().statusCode(200).body("items", hasSize(2))
                .body("items[0].id", equalTo(newer.toString()))
                .body("items[1].id", equalTo(older.toString()));
        api().queryParam("host", host).queryParam("since", "2026-01-10T10:30:00Z").get("/api/v1/executions")
                .then().statusCode(200).body("items", hasSize(1)).body("items[0].id", equalTo(newer.toString()));
        api().queryParam("host", host).queryParam("until", "2026-01-10T11:30:00+01:00").get("/api/v1/executions")
                .then().statusCode(200).body("items", hasSize(1)).body("items[0].id", equalTo(older.toString()));
        api().queryParam("host", host).queryParam("since", "2026-01-10").queryParam("until", "2026-01-11")
                .get("/api/v1/executions").then().statusCode(200).body("items", hasSize(2));
    }

    @Test
    void shouldAnswerBadFiltersWithValidationErrors() {
        api().queryParam("since", "yesterday").get("/api/v1/executions")
                .then().statusCode(400)
                .body("error", equalTo("validation_failed"))
                .body("message", containsString("since"))
                .body("details[0].path", equalTo("since"));
        api().queryParam("until", "2026-13-01T00:00:00Z").get("/api/v1/executions")
                .then().statusCode(400).body("details[0].path", equalTo("until"));
        api().queryParam("since", "2026-02-01T00:00:00Z").queryParam("until", "2026-01-01T00:00:00Z")
                .get("/api/v1/executions")
                .then().statusCode(400).body("details[0].message", equalTo("must be before until"));
        api().queryParam("since", "soon").queryParam("status", "NOPE").get("/api/v1/executions")
                .then().statusCode(400).body("details", hasSize(2));
        api().queryParam("since", "last week").get("/api/v1/executions/stats")
                .then().statusCode(400).body("error", equalTo("validation_failed")).body("details[0].path", equalTo("since"));
        api().queryParam("since", "2030-01-01T00:00:00Z").get("/api/v1/executions/stats")
                .then().statusCode(400).body("details[0].path", equalTo("since"));
    }

    @Test
    void shouldComputeCountsSuccessRateAndLatencyPercentilesForAWindow() {
        Instant day = Instant.parse("2001-03-04T00:00:00Z");
        UUID succeeded = seed("default", "https://stats.example.com/1", ExecutionStatus.SUCCEEDED, day.plusSeconds(60));
        seed("default", "https://stats.example.com/2", ExecutionStatus.SUCCEEDED, day.plusSeconds(120));
        seed("default", "https://stats.example.com/3", ExecutionStatus.SUCCEEDED, day.plusSeconds(180));
        seed("default", "https://stats.example.com/4", ExecutionStatus.FAILED, day.plusSeconds(240));
        seed("default", "https://stats.example.com/5", ExecutionStatus.RETRYING, day.plusSeconds(300));
        seed("other-org", "https://stats.example.com/6", ExecutionStatus.FAILED, day.plusSeconds(300));
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 1; i <= 10; i++) {
                Attempt attempt = new Attempt();
                attempt.id = UUID.randomUUID();
                attempt.executionId = succeeded;
                attempt.number = i;
                attempt.startedAt = day.plusSeconds(60 + i);
                attempt.durationMs = i * 10L;
                attempt.request = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
                attempt.outcome = AttemptOutcome.SUCCESS;
                attempts.persist(attempt);
            }
        });

        api().queryParam("since", "2001-03-04T00:00:00Z").queryParam("until", "2001-03-05T00:00:00Z")
                .get("/api/v1/executions/stats")
                .then().statusCode(200)
                .body("total", equalTo(5))
                .body("byStatus.SUCCEEDED", equalTo(3))
                .body("byStatus.FAILED", equalTo(1))
                .body("byStatus.RETRYING", equalTo(1))
                .body("byStatus.CANCELED", equalTo(0))
                .body("successRate", closeTo(0.75, 1e-9))
                .body("attempts.count", equalTo(10))
                .body("attempts.p50Ms", closeTo(55.0, 1e-9))
                .body("attempts.p95Ms", closeTo(95.5, 1e-9))
                .body("attempts.p99Ms", closeTo(99.1, 1e-9));
        api().queryParam("since", "2001-01-01T00:00:00Z").queryParam("until", "2001-01-02T00:00:00Z")
                .get("/api/v1/executions/stats")
                .then().statusCode(200)
                .body("total", equalTo(0))
                .body("successRate", nullValue())
                .body("attempts.count", equalTo(0))
                .body("attempts.p50Ms", nullValue());
    }

    private static RequestSpecification api() {
        // Fractions as doubles, so percentiles compare exactly rather than as floats.
        return given().header("St2-Api-Key", KEY).config(RestAssured.config()
                .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE)));
    }

    /** What retry and cancel may change about an execution, read from the database. */
    private String state(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Execution execution = executions.findById(id);
            return execution.status + " attempts=" + execution.attemptCount + " next=" + execution.nextAttemptAt
                    + " finished=" + execution.finishedAt + " updated=" + execution.updatedAt;
        });
    }

    private UUID seed(String orgId, String url, ExecutionStatus status, Instant createdAt) {
        return DeliveryTestSupport.seed(executions, orgId, url, status, createdAt);
    }
}
