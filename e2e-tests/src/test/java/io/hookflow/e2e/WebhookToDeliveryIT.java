package io.hookflow.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hookflow.stack.KafkaBroker;
import io.hookflow.stack.Postgres;
import io.hookflow.stack.RecordedRequest;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.ServiceProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The walking skeleton as a user runs it: three packaged services as separate processes, one broker, one database,
 * and a local HTTP target. A webhook goes in at ingest and comes out, rendered, at the target.
 */
class WebhookToDeliveryIT {

    static final String KEY = "e2e-bootstrap-key";
    static final Path ROOT = Path.of(System.getProperty("hookflow.project.root", "..")).toAbsolutePath().normalize();
    static final Path WORK = ROOT.resolve("e2e-tests/target/e2e");

    static KafkaBroker kafka;
    static Postgres postgres;
    static RequestSink sink;
    static ServiceProcess ingest;
    static ServiceProcess rules;
    static ServiceProcess delivery;

    @BeforeAll
    static void startTheSystem() throws Exception {
        Files.createDirectories(WORK);
        CompletableFuture<KafkaBroker> broker = CompletableFuture.supplyAsync(() -> start(() -> KafkaBroker.start(WORK.resolve("kafka"), 0, 0)));
        postgres = Postgres.start(null, 0);
        kafka = broker.join();
        sink = RequestSink.start(0);

        ingest = service("ingest-service");
        rules = service("rules-service");
        delivery = service("delivery-service");
        for (ServiceProcess service : List.of(ingest, rules, delivery)) {
            service.awaitReady(Duration.ofSeconds(120));
        }
    }

    @AfterAll
    static void stopTheSystem() {
        for (AutoCloseable resource : new AutoCloseable[] {ingest, rules, delivery, sink, kafka, postgres}) {
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
    void shouldDeliverTheRenderedRequestForAMatchingWebhook() {
        String rule = """
                {"name": "notify_ci", "pack": "e2e", "enabled": true,
                 "trigger": {"type": "mypack.mytrigger"},
                 "criteria": {"trigger.body.payload.attribute1": {"type": "equals", "pattern": "value1"}},
                 "action": {"ref": "core.http", "parameters": {
                     "url": "%s?branch={{ trigger.payload.branch }}",
                     "method": "POST",
                     "headers": {"Content-Type": "application/json"},
                     "body": {"attribute": "{{ trigger.attribute1 }}", "published": "${trigger.payload.branch}"}}}}
                """.formatted(sink.url("/hooks/ci"));
        given().baseUri(rules.baseUrl()).header("St2-Api-Key", KEY).contentType("application/json").body(rule)
                .post("/api/v1/rules")
                .then().statusCode(201);

        // A webhook the rule does not match goes nowhere.
        fireWebhook("{\"trigger\": \"mypack.mytrigger\", \"payload\": {\"attribute1\": \"other\", \"branch\": \"dev\"}}");
        String triggerInstance = fireWebhook(
                "{\"trigger\": \"mypack.mytrigger\", \"payload\": {\"attribute1\": \"value1\", \"branch\": \"feature/x y\"}}");

        RecordedRequest received = sink.awaitRequest(Duration.ofSeconds(60));
        assertEquals("POST", received.method());
        assertEquals("/hooks/ci?branch=feature%2Fx+y", received.path());
        assertEquals("{\"attribute\":\"value1\",\"published\":\"feature/x y\"}", received.body());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().baseUri(delivery.baseUrl()).header("St2-Api-Key", KEY)
                        .queryParam("triggerInstance", triggerInstance)
                        .get("/api/v1/executions")
                        .then().statusCode(200)
                        .body("items", hasSize(1))
                        .body("items[0].status", equalTo("SUCCEEDED"))
                        .body("items[0].ruleRef", equalTo("e2e.notify_ci")));
        assertEquals(1, sink.requests().size(), "only the matching webhook is delivered");
    }

    private static String fireWebhook(String body) {
        return given().baseUri(ingest.baseUrl()).header("St2-Api-Key", KEY).contentType("application/json").body(body)
                .post("/api/v1/webhooks/st2")
                .then().statusCode(202)
                .extract().path("id");
    }

    private static ServiceProcess service(String name) throws IOException {
        int port = freePort();
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_PROFILE", "local");
        env.put("HOOKFLOW_BOOTSTRAP_API_KEY", KEY);
        return ServiceProcess.start(name, ROOT.resolve(name + "/target/quarkus-app/quarkus-run.jar"), env, port,
                WORK.resolve(name + ".log"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static <T> T start(java.util.concurrent.Callable<T> starter) {
        try {
            return starter.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
