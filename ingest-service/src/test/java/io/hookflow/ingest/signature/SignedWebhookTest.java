package io.hookflow.ingest.signature;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.ingest.TriggerTopic;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Third parties that cannot send our API key: a webhook's secret signs the raw body instead. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class SignedWebhookTest {

    static final String KEY = "test-bootstrap-key";
    static final String SECRET = "github-shared-secret";
    /** Compact on purpose: the signature covers these exact bytes, whitespace included. */
    static final String BODY = "{\"action\": \"opened\",  \"number\": 7}";

    TriggerTopic topic;

    @jakarta.inject.Inject
    jakarta.persistence.EntityManager entityManager;

    @BeforeEach
    void openTopic() {
        topic = TriggerTopic.atEnd(() -> given().header("St2-Api-Key", KEY).contentType("application/json")
                .body(Map.of("trigger", "test.warmup", "payload", Map.of())).post("/api/v1/webhooks/st2")
                .then().statusCode(202));
    }

    @AfterEach
    void closeTopic() {
        topic.close();
    }

    static String createWebhook(String secret) {
        var request = given().header("St2-Api-Key", KEY).contentType("application/json");
        return request.body(secret == null ? Map.of() : Map.of("secret", secret)).post("/api/v1/webhooks")
                .then().statusCode(201).extract().path("id");
    }

    @Test
    void shouldAcceptAGithubSignedRequestWithoutAnApiKey() throws Exception {
        String id = createWebhook(SECRET);
        String signature = "sha256=" + HexFormat.of().formatHex(
                SignatureVerifier.hmac(SECRET.getBytes(StandardCharsets.UTF_8), BODY.getBytes(StandardCharsets.UTF_8)));
        String instance = given().contentType("application/json").header("X-Hub-Signature-256", signature)
                .header("X-GitHub-Event", "pull_request").body(BODY)
                .post("/api/v1/trigger-webhooks/" + id)
                .then().statusCode(202).extract().path("id");

        JsonNode event = topic.nextEvent();
        assertEquals(instance, event.get("id").asText());
        assertEquals("webhookId:" + id, event.get("trigger").asText());
        assertEquals("default", event.get("orgId").asText(), "the event belongs to the webhook's organisation");
        assertEquals(7, event.path("payload").path("body").path("number").asInt());
        assertEquals("pull_request", event.path("payload").path("headers").path("x-github-event").asText());
    }

    @Test
    void shouldStoreTheSecretEncryptedAndStillVerifyWithIt() throws Exception {
        String id = createWebhook(SECRET);
        String stored = (String) entityManager.createNativeQuery(
                        "select secret from {h-schema}webhook where id = cast(:id as uuid)")
                .setParameter("id", id).getSingleResult();
        assertFalse(stored.contains(SECRET), "a database dump must not reveal the secret: " + stored);
        org.junit.jupiter.api.Assertions.assertTrue(stored.startsWith("enc:v1:"), stored);

        String signature = "sha256=" + HexFormat.of().formatHex(
                SignatureVerifier.hmac(SECRET.getBytes(StandardCharsets.UTF_8), BODY.getBytes(StandardCharsets.UTF_8)));
        given().contentType("application/json").header("X-Hub-Signature-256", signature).body(BODY)
                .post("/api/v1/trigger-webhooks/" + id)
                .then().statusCode(202);
    }

    @Test
    void shouldAcceptAStandardWebhooksSignedRequestWithAWhsecSecret() throws Exception {
        byte[] key = UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8);
        String id = createWebhook("whsec_" + Base64.getEncoder().encodeToString(key));
        String msgId = "msg_" + UUID.randomUUID();
        String ts = Long.toString(Instant.now().getEpochSecond());
        String signature = "v1," + Base64.getEncoder().encodeToString(SignatureVerifier.hmac(key,
                (msgId + "." + ts + "." + BODY).getBytes(StandardCharsets.UTF_8)));
        given().contentType("application/json").header("webhook-id", msgId).header("webhook-timestamp", ts)
                .header("webhook-signature", "v1,b2xkLXNlY3JldA== " + signature).body(BODY)
                .post("/api/v1/trigger-webhooks/" + id)
                .then().statusCode(202);
        assertEquals("webhookId:" + id, TriggerTopic.trigger(topic.next()));
    }

    @Test
    void shouldRefuseBadStaleOrMissingSignaturesWith401SayingWhich() {
        String id = createWebhook(SECRET);
        given().contentType("application/json").header("X-Hub-Signature-256", "sha256=" + "00".repeat(32)).body(BODY)
                .post("/api/v1/trigger-webhooks/" + id)
                .then().statusCode(401).body("error", equalTo("invalid_signature"))
                .body("message", containsString("X-Hub-Signature-256"));

        String stale = Long.toString(Instant.now().minusSeconds(600).getEpochSecond());
        String signature = "v1," + Base64.getEncoder().encodeToString(SignatureVerifier.hmac(
                SECRET.getBytes(StandardCharsets.UTF_8), ("msg_1." + stale + "." + BODY).getBytes(StandardCharsets.UTF_8)));
        given().contentType("application/json").header("webhook-id", "msg_1").header("webhook-timestamp", stale)
                .header("webhook-signature", signature).body(BODY)
                .post("/api/v1/trigger-webhooks/" + id)
                .then().statusCode(401).body("error", equalTo("stale_signature"));

        given().contentType("application/json").body(BODY).post("/api/v1/trigger-webhooks/" + id)
                .then().statusCode(401).body("error", equalTo("unauthorized")).body("message", containsString("API key"));

        // A webhook without a secret cannot be fired by signature at all, nor can an unknown one.
        String unsigned = createWebhook(null);
        given().contentType("application/json").header("X-Hub-Signature-256", "sha256=" + "00".repeat(32)).body(BODY)
                .post("/api/v1/trigger-webhooks/" + unsigned)
                .then().statusCode(401).body("error", equalTo("unauthorized"));
        given().contentType("application/json").header("X-Hub-Signature-256", "sha256=" + "00".repeat(32)).body(BODY)
                .post("/api/v1/trigger-webhooks/" + UUID.randomUUID())
                .then().statusCode(401);

        // A signature opens only the trigger route: the rest of the API still wants the key.
        given().header("X-Hub-Signature-256", "sha256=00").get("/api/v1/webhooks/" + id).then().statusCode(401);
        given().contentType("application/json").header("X-Hub-Signature-256", "sha256=00")
                .body(Map.of("trigger", "a.b", "payload", Map.of())).post("/api/v1/webhooks/st2").then().statusCode(401);

        String marker = TriggerTopic.marker();
        given().header("St2-Api-Key", KEY).contentType("application/json")
                .body(Map.of("trigger", marker, "payload", Map.of())).post("/api/v1/webhooks/st2").then().statusCode(202);
        topic.assertOnlyMarkerSince(marker);
    }

    @Test
    void shouldStillCheckAnApiKeyThatIsSentAlongASignature() {
        String id = createWebhook(SECRET);
        String signature = "sha256=" + HexFormat.of().formatHex(
                SignatureVerifier.hmac(SECRET.getBytes(StandardCharsets.UTF_8), BODY.getBytes(StandardCharsets.UTF_8)));
        given().contentType("application/json").header("St2-Api-Key", "wrong").header("X-Hub-Signature-256", signature)
                .body(BODY).post("/api/v1/trigger-webhooks/" + id)
                .then().statusCode(401).body("message", equalTo("invalid API key"));

        // The refused request published nothing, and the same signature alone is accepted: the key, not the
        // signature, was what failed.
        String marker = TriggerTopic.marker();
        given().header("St2-Api-Key", KEY).contentType("application/json")
                .body(Map.of("trigger", marker, "payload", Map.of())).post("/api/v1/webhooks/st2").then().statusCode(202);
        topic.assertOnlyMarkerSince(marker);
        given().contentType("application/json").header("X-Hub-Signature-256", signature).body(BODY)
                .post("/api/v1/trigger-webhooks/" + id)
                .then().statusCode(202);
        assertEquals("webhookId:" + id, TriggerTopic.trigger(topic.next()));
    }
}
