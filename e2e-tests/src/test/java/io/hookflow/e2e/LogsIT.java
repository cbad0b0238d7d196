package io.hookflow.e2e;

import static io.hookflow.e2e.HookflowSystem.KEY;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.stack.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The services' logs in production's format (JSON lines; HookflowSystem turns it on and the webhook trail's DEBUG
 * lines too): each step of one signed webhook is logged with the ids that tie it to the webhook, and no secret,
 * credential or signature of the run appears in any line of any service's log.
 */
@ExtendWith(HookflowSystem.class)
class LogsIT {

    static final ObjectMapper JSON = new ObjectMapper();
    final HookflowSystem system = HookflowSystem.get();
    final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    final String inboundSecret = "logs-inbound-secret-" + run;
    final String signingSecret = "logs-signing-secret-" + run;
    final String password = "logs-basic-password-" + run;
    final String datastoreToken = "logs-kv-token-" + run;
    final String oldTaskPassword = "logs-old-task-password-" + run;

    @Test
    void shouldLogEveryStepOfASignedWebhookWithItsIdsAndNoSecret() throws Exception {
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/json")
                .body("{\"value\": \"" + datastoreToken + "\", \"secret\": true}")
                .put("/api/v1/keys/logs_" + run + "_token").then().statusCode(200);
        String webhook = given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY).contentType("application/json")
                .body(Map.of("name", "logs-" + run, "secret", inboundSecret))
                .post("/api/v1/webhooks").then().statusCode(201).extract().path("id");
        String rule = """
                {"name": "logs_%1$s", "pack": "e2e_logs", "enabled": true,
                 "trigger": {"type": "webhookId:%2$s"},
                 "action": {"ref": "core.http", "parameters": {
                     "url": "%3$s", "method": "POST",
                     "headers": {"Content-Type": "application/json",
                                 "X-Token": "{{ st2kv.system.logs_%1$s_token | decrypt_kv }}"},
                     "body": {"order": "{{ trigger.body.order }}"},
                     "username": "hookflow", "password": "%4$s", "secret": "%5$s"}}}
                """.formatted(run, webhook, system.sink().url("/logs/" + run), password, signingSecret);
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/json").body(rule)
                .post("/api/v1/rules").then().statusCode(201);

        // A wrongly signed request is refused, a rightly signed one accepted without any key.
        String body = "{\"order\": \"o-" + run + "\"}";
        String inboundSignature = "sha256=" + HexFormat.of().formatHex(hmac(inboundSecret, body));
        String forgedSignature = "sha256=" + HexFormat.of().formatHex(hmac("not-" + inboundSecret, body));
        given().baseUri(system.ingestUrl()).contentType("application/json").header("X-Hub-Signature-256", forgedSignature)
                .body(body).post("/api/v1/trigger-webhooks/" + webhook).then().statusCode(401);
        String triggerInstance = given().baseUri(system.ingestUrl()).contentType("application/json")
                .header("X-Hub-Signature-256", inboundSignature).body(body)
                .post("/api/v1/trigger-webhooks/" + webhook).then().statusCode(202).extract().path("id");

        RecordedRequest received = system.sink().awaitRequestTo("/logs/" + run, Duration.ofSeconds(60));
        String outboundSignature = received.headers().get("x-hookflow-signature");
        assertEquals(datastoreToken, received.headers().get("x-token"), "the target got the datastore secret");
        String basic = received.headers().get("authorization");
        assertEquals("Basic " + Base64.getEncoder().encodeToString(("hookflow:" + password)
                .getBytes(StandardCharsets.UTF_8)), basic);
        String execution = await().atMost(Duration.ofSeconds(30)).until(() -> given().baseUri(system.deliveryUrl())
                .header("St2-Api-Key", KEY).queryParam("triggerInstance", triggerInstance).get("/api/v1/executions")
                .then().statusCode(200).extract().<String>path("items.find { it.status == 'SUCCEEDED' }.id"),
                id -> id != null);

        // A task from an older rules-service, with its password in the clear and no valid id: delivery logs and drops it.
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("action-tasks", "malformed-" + run, """
                    {"version": 1, "id": "malformed-%1$s", "orgId": "default", "actionRef": "core.http",
                     "request": {"method": "POST", "url": "http://127.0.0.1:9/x?token=%2$s",
                                 "username": "u", "password": "%2$s"}}""".formatted(run, oldTaskPassword))).get();
        }

        // Each step's line carries the webhook's ids as fields of its own; rules' and delivery's also its trace id.
        String traceId = given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY)
                .get("/api/v1/triggerinstances/" + triggerInstance).then().statusCode(200).extract().path("traceId");
        assertTrue(traceId != null && traceId.matches("[0-9a-f]{32}"), "the instance's trace id: " + traceId);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertLogged(system.ingest.logFile(), "Webhook accepted", Map.of(
                    "orgId", "default", "triggerInstanceId", triggerInstance));
            assertLogged(system.rules.logFile(), "Trigger instance enforced", Map.of(
                    "orgId", "default", "triggerInstanceId", triggerInstance, "traceId", traceId));
            assertLogged(system.delivery.logFile(), "Attempt 1 recorded: HTTP 200", Map.of(
                    "orgId", "default", "triggerInstanceId", triggerInstance, "executionId", execution,
                    "traceId", traceId));
            assertLogged(system.delivery.logFile(), "malformed-" + run, Map.of());
        });

        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("the webhook's secret", inboundSecret);
        secrets.put("the inbound signature", inboundSignature.substring("sha256=".length()));
        secrets.put("the refused signature", forgedSignature.substring("sha256=".length()));
        secrets.put("the rule's password", password);
        secrets.put("the basic auth header", basic.substring("Basic ".length()));
        secrets.put("the rule's signing secret", signingSecret);
        secrets.put("the outbound signature", outboundSignature.substring("sha256=".length()));
        secrets.put("the datastore secret", datastoreToken);
        secrets.put("an old task's clear password", oldTaskPassword);
        secrets.put("the bootstrap API key", KEY);
        List<String> found = new ArrayList<>();
        for (Path log : serviceLogs()) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (String line : lines) {
                secrets.forEach((what, value) -> {
                    if (line.contains(value)) {
                        found.add(what + " in " + log.getFileName() + ": " + line);
                    }
                });
            }
        }
        assertTrue(found.isEmpty(), "secrets in the logs:\n" + String.join("\n", found));
    }

    /** Some JSON line of the log has the message text and every one of the fields with these values. */
    static void assertLogged(Path log, String message, Map<String, String> fields) {
        List<JsonNode> candidates = new ArrayList<>();
        for (String line : readLines(log)) {
            if (!line.startsWith("{") || !line.contains(message)) {
                continue;
            }
            JsonNode entry;
            try {
                entry = JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not a JSON log line: " + line, e);
            }
            candidates.add(entry);
            if (entry.path("message").asText().contains(message) && fields.entrySet().stream()
                    .allMatch(field -> field.getValue().equals(entry.path(field.getKey()).asText(null)))) {
                return;
            }
        }
        fail("no line of " + log.getFileName() + " has '" + message + "' with " + fields + "; candidates: " + candidates);
    }

    private static List<String> readLines(Path log) {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every service log of the run so far, restarted replicas' included. */
    private static List<Path> serviceLogs() throws IOException {
        try (Stream<Path> files = Files.list(HookflowSystem.WORK)) {
            List<Path> logs = files.filter(file -> file.getFileName().toString().matches("(ingest|rules|delivery)-service.*\\.log"))
                    .toList();
            assertTrue(logs.size() >= 3, "the three services' logs: " + logs);
            return logs;
        }
    }

    private static byte[] hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
    }
}
