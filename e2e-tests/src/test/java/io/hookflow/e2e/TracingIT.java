package io.hookflow.e2e;

import static io.hookflow.e2e.HookflowSystem.KEY;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.stack.OtlpReceiver.ReceivedSpan;
import io.hookflow.stack.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One webhook's trace as a real OTLP/HTTP receiver gets it from the services: the sender's {@code traceparent} is the
 * parent of ingest's span, rules-service's span is a child of ingest's (the context travelled in the trigger event
 * record's header), each task's publish span is a child of that, delivery's intake span a child of the publish span
 * (from the task record's header), and each attempt, the failed one and its retry, a child of the intake span whose
 * context the request to the target carries.
 */
@ExtendWith(HookflowSystem.class)
class TracingIT {

    final HookflowSystem system = HookflowSystem.get();

    @Test
    void shouldTraceAWebhookFromItsSenderThroughTheThreeServicesToEachAttemptAtTheTarget() {
        String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String rule = """
                {"name": "tracing_%1$s", "pack": "e2e_tracing", "enabled": true,
                 "trigger": {"type": "e2e.tracing_%1$s"},
                 "action": {"ref": "core.http", "parameters": {"url": "%2$s", "method": "POST", "body": "x",
                            "retry": {"maxAttempts": 3, "schedule": [1]}}}}
                """.formatted(run, system.sink().url("/tracing/" + run));
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/json").body(rule)
                .post("/api/v1/rules").then().statusCode(201);
        // A rule on the delivery's own status events (it never matches, so it sends nothing): the status event's
        // trigger instance continues the webhook's trace.
        String statusRule = given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/json")
                .body("""
                        {"name": "tracing_status_%s", "pack": "e2e_tracing", "enabled": true,
                         "trigger": {"type": "hookflow.execution.succeeded"},
                         "criteria": {"trigger.never_present": {"type": "equals", "pattern": "x"}},
                         "action": {"ref": "core.http", "parameters": {"url": "%s", "method": "POST"}}}
                        """.formatted(run, system.sink().url("/tracing-status/" + run)))
                .post("/api/v1/rules").then().statusCode(201).extract().path("id");
        try {
            traceThroughTheServices(run);
        } finally {
            given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).delete("/api/v1/rules/" + statusRule)
                    .then().statusCode(204);
        }
    }

    private void traceThroughTheServices(String run) {

        // The first attempt fails with a 503, the retry succeeds.
        system.sink().respondWith("/tracing/" + run, 503);
        String senderTrace = hex(16);
        String senderSpan = hex(8);
        String instance = given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY)
                .header("traceparent", "00-" + senderTrace + "-" + senderSpan + "-01")
                .contentType("application/json").body("{\"trigger\": \"e2e.tracing_" + run + "\", \"payload\": {}}")
                .post("/api/v1/webhooks/st2").then().statusCode(202).extract().path("id");
        system.sink().awaitRequestTo("/tracing/" + run, Duration.ofSeconds(60));
        system.sink().respondWith("/tracing/" + run, 200);
        await().atMost(Duration.ofSeconds(60)).until(() -> system.sink().requestsTo("/tracing/" + run).size() >= 2);

        List<ReceivedSpan> trace = await().atMost(Duration.ofSeconds(30)).until(
                () -> system.otlp().trace(senderTrace),
                spans -> spans.stream().filter(span -> span.name().equals("delivery attempt")).count() == 2
                        && spans.stream().anyMatch(span -> span.name().equals(STATUS_ENFORCE))
                        // Each service exports in its own batches: wait for delivery's last one too.
                        && spans.stream().anyMatch(span -> "SUCCEEDED".equals(span.attribute("hookflow.execution.status"))));
        ReceivedSpan ingest = one(trace, "ingest-service", "ingest receive webhook");
        assertEquals(senderSpan, ingest.parentSpanId(), "the sender's span is the parent: " + trace);
        assertEquals(instance, ingest.attribute("hookflow.trigger_instance_id"));
        assertEquals("202", ingest.attribute("http.response.status_code"));
        ReceivedSpan enforce = one(trace, "rules-service", "rules enforce e2e.tracing_" + run);
        assertEquals(ingest.spanId(), enforce.parentSpanId(), "rules continues ingest's span: " + trace);
        ReceivedSpan publish = one(trace, "rules-service", "rules publish task e2e_tracing.tracing_" + run);
        assertEquals(enforce.spanId(), publish.parentSpanId(), "the task's span is under the enforcement: " + trace);

        ConsumerRecord<String, String> task = TopicReader.readAll(system.bootstrapServers(), "action-tasks").stream()
                .filter(record -> record.value().contains(instance)).findFirst().orElseThrow();
        Header traceparent = task.headers().lastHeader("traceparent");
        assertNotNull(traceparent, "the task record carries the trace");
        assertEquals("00-" + senderTrace + "-" + publish.spanId() + "-01",
                new String(traceparent.value(), StandardCharsets.UTF_8));

        ReceivedSpan intake = one(trace, "delivery-service", "delivery intake task");
        assertEquals(publish.spanId(), intake.parentSpanId(), "delivery continues the task's span: " + trace);
        List<ReceivedSpan> attempts = trace.stream().filter(span -> span.name().equals("delivery attempt"))
                .sorted(java.util.Comparator.comparing(span -> span.attribute("hookflow.attempt"))).toList();
        for (ReceivedSpan attempt : attempts) {
            assertEquals(intake.spanId(), attempt.parentSpanId(), "each attempt is under the intake: " + trace);
        }
        assertTrue(attempts.get(0).failed(), "the 503 attempt is an error: " + attempts.get(0));
        assertEquals("503", attempts.get(0).attribute("http.response.status_code"));
        assertTrue(!attempts.get(1).failed(), "the retry succeeded: " + attempts.get(1));
        List<io.hookflow.stack.RecordedRequest> sent = system.sink().requestsTo("/tracing/" + run);
        for (int i = 0; i < 2; i++) {
            assertEquals("00-" + senderTrace + "-" + attempts.get(i).spanId() + "-01", sent.get(i).headers().get("traceparent"),
                    "the target sees attempt " + (i + 1) + " as its parent");
        }
        assertEquals(1, trace.stream().filter(ReceivedSpan::failed).count(), "only the 503 attempt failed: " + trace);

        // Each status change the relay publishes is a span under the intake, and the record carries it on: the rule on
        // hookflow.execution.succeeded enforces as a child of the SUCCEEDED event's span.
        List<ReceivedSpan> statusEvents = trace.stream()
                .filter(span -> span.name().equals("delivery publish execution event")).toList();
        for (ReceivedSpan event : statusEvents) {
            assertEquals(intake.spanId(), event.parentSpanId(), "each status event is under the intake: " + trace);
        }
        List<String> statuses = statusEvents.stream().map(span -> span.attribute("hookflow.execution.status")).toList();
        assertTrue(statuses.containsAll(List.of("RUNNING", "RETRYING", "SUCCEEDED")), "the statuses traced: " + statuses);
        ReceivedSpan succeeded = statusEvents.stream()
                .filter(span -> "SUCCEEDED".equals(span.attribute("hookflow.execution.status"))).findFirst().orElseThrow();
        ReceivedSpan statusEnforce = one(trace, "rules-service", STATUS_ENFORCE);
        assertEquals(succeeded.spanId(), statusEnforce.parentSpanId(), "the status rule continues the event's span: " + trace);

        // The trigger instance, its enforcement and the execution keep the trace id: an operator finds the trace from
        // any of them.
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).get("/api/v1/triggerinstances/" + instance)
                .then().statusCode(200).body("traceId", org.hamcrest.Matchers.equalTo(senderTrace));
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).queryParam("triggerInstance", instance)
                .get("/api/v1/ruleenforcements")
                .then().statusCode(200).body("items[0].traceId", org.hamcrest.Matchers.equalTo(senderTrace));
        given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY).queryParam("triggerInstance", instance)
                .get("/api/v1/executions")
                .then().statusCode(200).body("items[0].traceId", org.hamcrest.Matchers.equalTo(senderTrace));
    }

    private static final String STATUS_ENFORCE = "rules enforce hookflow.execution.succeeded";

    private static ReceivedSpan one(List<ReceivedSpan> trace, String service, String name) {
        List<ReceivedSpan> found = trace.stream()
                .filter(span -> service.equals(span.service()) && name.equals(span.name())).toList();
        assertEquals(1, found.size(), "one span '" + name + "' of " + service + " in " + trace);
        return found.get(0);
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
