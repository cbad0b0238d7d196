package io.hookflow.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.stack.LocalStack;
import io.hookflow.stack.RecordedRequest;
import io.hookflow.stack.RequestSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Auto-disable across the packaged services, on a system of its own whose delivery-service disables a destination
 * after 3 seconds of failures instead of 5 days (the shared {@link HookflowSystem} keeps the default): the destination
 * is disabled, rules-service turns the announcement into a {@code hookflow.destination.disabled} trigger whose rule
 * alerts another target, new work is parked without an attempt, and enabling the destination delivers it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutoDisableIT {

    static final String KEY = "e2e-auto-disable-key";
    static final Path WORK = HookflowSystem.ROOT.resolve("e2e-tests/target/e2e-auto-disable");
    static final Duration DELIVERED = Duration.ofSeconds(90);

    LocalStack stack;
    RequestSink target;
    RequestSink alerts;

    @BeforeAll
    void start() throws IOException {
        deleteRecursively(WORK);
        Files.createDirectories(WORK);
        stack = LocalStack.onFreePorts(HookflowSystem.ROOT, WORK, Map.of("HOOKFLOW_BOOTSTRAP_API_KEY", KEY))
                .withReplicaEnv("delivery-service", 0, Map.of("HOOKFLOW_DELIVERY_AUTO_DISABLE_AFTER", "PT3S"));
        try {
            stack.start();
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        target = RequestSink.start(0);
        // Another port, so another destination: the alert is not parked behind the one it reports.
        alerts = RequestSink.start(0);
    }

    @AfterAll
    void stop() {
        for (AutoCloseable resource : new AutoCloseable[] {target, alerts, stack}) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                System.err.println("stopping " + resource + ": " + e);
            }
        }
    }

    @Test
    void shouldDisableAFailingDestinationAlertThroughARuleParkNewWorkAndDeliverItWhenEnabled() throws Exception {
        String destination = "127.0.0.1:" + target.port();
        rule("alert", "hookflow.destination.disabled", alerts.url("/alert"),
                "{{ trigger.destination }}");
        String work = rule("work", "e2e.auto_disable", target.url("/work"), "{{ trigger.id }}");
        target.respondWith("/work", 503);

        // The streak begins; more than 3 s later the next failure disables the destination (2 failures: far below
        // the circuit's threshold of 10, so it is the auto-disable and not the circuit breaker that stops it).
        fire("a");
        await().atMost(DELIVERED).until(() -> executions(work, "FAILED").size() == 1);
        Thread.sleep(4000);
        fire("b");
        await().atMost(DELIVERED).until(() -> executions(work, "FAILED").size() == 2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().baseUri(url("delivery-service"))
                .header("St2-Api-Key", KEY).get("/api/v1/destinations").then().statusCode(200)
                .body("items.find { it.destination == '%s' }.state".formatted(destination), equalTo("DISABLED"))
                .body("items.find { it.destination == '%s' }.disabledAt".formatted(destination), notNullValue()));

        // The announcement became a trigger and the rule on it alerted, once.
        RecordedRequest alert = alerts.awaitRequestTo("/alert", DELIVERED);
        assertEquals(destination, alert.body());

        // The target is back, but new work waits for an operator: parked, no attempt made.
        target.respondWith("/work", 200);
        fire("c");
        await().atMost(DELIVERED).until(() -> executions(work, "RETRYING").size() == 1);
        String parked = executions(work, "RETRYING").get(0);
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15)).until(() ->
                target.requestsTo("/work").size() == 2 && executions(work, "RETRYING").equals(List.of(parked)));
        String lastError = given().baseUri(url("delivery-service")).header("St2-Api-Key", KEY)
                .get("/api/v1/executions/" + parked).then().statusCode(200)
                .body("attemptCount", equalTo(0)).extract().path("lastError");
        assertTrue(lastError.contains("disabled"), lastError);

        // Enabling releases it and it is delivered; a second enable is refused with the JSON error body.
        given().baseUri(url("delivery-service")).header("St2-Api-Key", KEY)
                .post("/api/v1/destinations/" + destination + "/enable").then().statusCode(200)
                .body("destination.state", equalTo("CLOSED")).body("released", equalTo(1));
        await().atMost(DELIVERED).until(() -> executions(work, "SUCCEEDED").equals(List.of(parked)));
        assertEquals(List.of("a", "b", "c"), target.requestsTo("/work").stream().map(RecordedRequest::body).toList());
        given().baseUri(url("delivery-service")).header("St2-Api-Key", KEY)
                .post("/api/v1/destinations/" + destination + "/enable").then().statusCode(409)
                .body("error", equalTo("conflict")).body("message", notNullValue());
        given().baseUri(url("delivery-service")).header("St2-Api-Key", KEY)
                .post("/api/v1/destinations/never.example.com:443/enable").then().statusCode(404)
                .body("error", equalTo("not_found")).body("message", notNullValue());
        assertEquals(1, alerts.requestsTo("/alert").size());
    }

    private String url(String service) {
        return stack.service(service).baseUrl();
    }

    private String rule(String name, String trigger, String url, String body) {
        String rule = """
                {"name": "%s", "pack": "e2e_auto_disable", "enabled": true, "trigger": {"type": "%s"},
                 "action": {"ref": "core.http", "parameters": {"url": "%s", "method": "POST", "body": "%s",
                    "retry": {"maxAttempts": 1}}}}
                """.formatted(name, trigger, url, body);
        given().baseUri(url("rules-service")).header("St2-Api-Key", KEY).contentType("application/json").body(rule)
                .post("/api/v1/rules").then().statusCode(201);
        return "e2e_auto_disable." + name;
    }

    private void fire(String id) {
        given().baseUri(url("ingest-service")).header("St2-Api-Key", KEY).contentType("application/json")
                .body("{\"trigger\": \"e2e.auto_disable\", \"payload\": {\"id\": \"" + id + "\"}}")
                .post("/api/v1/webhooks/st2").then().statusCode(202);
    }

    private List<String> executions(String ruleRef, String status) {
        return given().baseUri(url("delivery-service")).header("St2-Api-Key", KEY)
                .queryParam("rule", ruleRef).queryParam("status", status).queryParam("limit", 100)
                .get("/api/v1/executions").then().statusCode(200).extract().jsonPath().getList("items.id", String.class);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
