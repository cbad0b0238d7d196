package io.hookflow.e2e;

import static io.hookflow.e2e.HookflowSystem.KEY;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.stack.RecordedRequest;
import io.hookflow.stack.testing.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A rule's signing secret and basic-auth password reach the target as a valid signature and credentials, yet no API
 * answer and no Kafka record between the services holds them in the clear.
 */
@ExtendWith(HookflowSystem.class)
class SecretsIT {

    static final String SECRET = "whsec-e2e-signing-secret-7f3a";
    static final String PASSWORD = "e2e-basic-auth-password-91c2";

    final HookflowSystem system = HookflowSystem.get();

    @Test
    void shouldSignAndAuthenticateWithSecretsThatNeverAppearInTheClear() throws Exception {
        String rule = """
                {"name": "signed_hook", "pack": "e2e_secrets", "enabled": true,
                 "trigger": {"type": "e2e.secrets"},
                 "action": {"ref": "core.http", "parameters": {
                     "url": "%s", "method": "POST",
                     "headers": {"Content-Type": "application/json"},
                     "body": {"order": "{{ trigger.order }}"},
                     "username": "hookflow", "password": "%s", "secret": "%s"}}}
                """.formatted(system.sink().url("/secrets/signed"), PASSWORD, SECRET);
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/json").body(rule)
                .post("/api/v1/rules")
                .then().statusCode(201)
                .body(not(containsString(SECRET)))
                .body(not(containsString(PASSWORD)));

        String triggerInstance = given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY)
                .contentType("application/json").body("{\"trigger\": \"e2e.secrets\", \"payload\": {\"order\": \"o-1\"}}")
                .post("/api/v1/webhooks/st2")
                .then().statusCode(202).extract().path("id");

        RecordedRequest received = system.sink().awaitRequestTo("/secrets/signed", Duration.ofSeconds(60));
        assertEquals("{\"order\":\"o-1\"}", received.body());
        assertEquals("sha256=" + HexFormat.of().formatHex(hmac(SECRET, received.body())),
                received.headers().get("x-hookflow-signature"));
        assertEquals("Basic " + Base64.getEncoder().encodeToString(("hookflow:" + PASSWORD).getBytes(StandardCharsets.UTF_8)),
                received.headers().get("authorization"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY)
                        .queryParam("triggerInstance", triggerInstance)
                        .get("/api/v1/executions")
                        .then().statusCode(200)
                        .body("items[0].status", equalTo("SUCCEEDED")));
        String execution = given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY)
                .queryParam("triggerInstance", triggerInstance).get("/api/v1/executions")
                .then().extract().path("items[0].id");
        String executionJson = given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY)
                .get("/api/v1/executions/" + execution).then().statusCode(200).extract().asString();
        assertFalse(executionJson.contains(SECRET), executionJson);
        assertFalse(executionJson.contains(PASSWORD), executionJson);
        String ruleJson = given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY)
                .get("/api/v1/rules/e2e_secrets.signed_hook").then().statusCode(200).extract().asString();
        assertFalse(ruleJson.contains(SECRET), ruleJson);
        assertFalse(ruleJson.contains(PASSWORD), ruleJson);

        List<String> tasks = TopicReader.readAll(system.bootstrapServers(), "action-tasks").stream()
                .map(ConsumerRecord::value).toList();
        assertTrue(tasks.stream().anyMatch(task -> task.contains(triggerInstance)), "the task for this webhook is on the topic");
        for (String task : tasks) {
            assertFalse(task.contains(SECRET), "a task holds the signing secret in the clear: " + task);
            assertFalse(task.contains(PASSWORD), "a task holds the password in the clear: " + task);
        }
    }

    /**
     * A rule may sign with the organisation's own signing keys, named in its secret; rules-service asks delivery-service
     * at save, so a key that is not the organisation's (made up, or another organisation's) is a 400 then, not a
     * failed execution later.
     */
    @Test
    void shouldRefuseAtSaveARuleNamingASigningKeyThatIsNotTheOrganisations() {
        String ours = given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY).post("/api/v1/signing-keys")
                .then().statusCode(201).extract().path("id");
        String otherOrg = "keys-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String otherKey = given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY).contentType("application/json")
                .body("{\"name\": \"keys admin\", \"orgId\": \"" + otherOrg + "\"}").post("/api/v1/apikeys")
                .then().statusCode(201).extract().path("key");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().baseUri(system.deliveryUrl())
                .header("St2-Api-Key", otherKey).get("/api/v1/signing-keys").then().statusCode(200));
        String theirs = given().baseUri(system.deliveryUrl()).header("St2-Api-Key", otherKey).post("/api/v1/signing-keys")
                .then().statusCode(201).extract().path("id");
        String rule = """
                {"name": "keyed_hook", "pack": "e2e_secrets", "trigger": {"type": "e2e.keyed"},
                 "action": {"ref": "core.http", "parameters": {"url": "%s", "secret": "signing-keys:%%s"}}}
                """.formatted(system.sink().url("/secrets/keyed"));

        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/json")
                .body(rule.formatted(ours + "," + theirs)).post("/api/v1/rules")
                .then().statusCode(400)
                .body("details[0].path", equalTo("action.parameters.secret"))
                .body("details[0].message", containsString("'" + theirs + "' is not one of the organisation's keys"));
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).get("/api/v1/rules/e2e_secrets.keyed_hook")
                .then().statusCode(404);

        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/json")
                .body(rule.formatted(ours)).post("/api/v1/rules").then().statusCode(201);
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/json")
                .body(rule.formatted("sk_made_up")).put("/api/v1/rules/e2e_secrets.keyed_hook")
                .then().statusCode(400).body("message", containsString("'sk_made_up'"));
    }

    /**
     * StackStorm's datastore through all three services: a rule reads a system key for the url and a secret key with
     * decrypt_kv for its Authorization header. The target receives the plaintext; no API answer, task or attempt holds
     * it.
     */
    @Test
    void shouldSendADatastoreSecretOnlyToTheTarget() {
        String token = "kv-bearer-" + java.util.UUID.randomUUID();
        String prefix = "e2e_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/json")
                .body("{\"value\": \"" + system.sink().url("/secrets/kv") + "\"}")
                .put("/api/v1/keys/" + prefix + ".base").then().statusCode(200);
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/json")
                .body("{\"value\": \"" + token + "\", \"secret\": true}")
                .put("/api/v1/keys/" + prefix + "_token").then().statusCode(200).body(not(containsString(token)));
        String rule = """
                {"name": "%1$s", "pack": "e2e_secrets", "enabled": true,
                 "trigger": {"type": "e2e.kv"},
                 "action": {"ref": "core.http", "parameters": {
                     "url": "{{ st2kv.system.%1$s.base }}/{{ trigger.order }}", "method": "POST",
                     "headers": {"Authorization": "Bearer {{ st2kv.system.%1$s_token | decrypt_kv }}",
                                 "X-Copy": "{{ st2kv.system.%1$s_token | decrypt_kv }}"},
                     "body": {"order": "{{ trigger.order }}"}}}}
                """.formatted(prefix);
        given().baseUri(system.rulesUrl()).header("St2-Api-Key", KEY).contentType("application/json").body(rule)
                .post("/api/v1/rules").then().statusCode(201);

        String triggerInstance = given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY)
                .contentType("application/json").body("{\"trigger\": \"e2e.kv\", \"payload\": {\"order\": \"o-7\"}}")
                .post("/api/v1/webhooks/st2")
                .then().statusCode(202).extract().path("id");

        RecordedRequest received = system.sink().awaitRequestTo("/secrets/kv/o-7", Duration.ofSeconds(60));
        assertEquals("Bearer " + token, received.headers().get("authorization"));
        assertEquals(token, received.headers().get("x-copy"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY)
                        .queryParam("triggerInstance", triggerInstance).get("/api/v1/executions")
                        .then().statusCode(200).body("items[0].status", equalTo("SUCCEEDED")));
        String execution = given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY)
                .queryParam("triggerInstance", triggerInstance).get("/api/v1/executions")
                .then().extract().path("items[0].id");
        String executionJson = given().baseUri(system.deliveryUrl()).header("St2-Api-Key", KEY)
                .get("/api/v1/executions/" + execution).then().statusCode(200).extract().asString();
        assertFalse(executionJson.contains(token), executionJson);
        assertTrue(executionJson.contains("\"X-Copy\":\"********\""), "the attempt masks the secret: " + executionJson);
        for (String task : TopicReader.readAll(system.bootstrapServers(), "action-tasks").stream()
                .map(ConsumerRecord::value).toList()) {
            assertFalse(task.contains(token), "a task holds the datastore secret in the clear: " + task);
        }
    }

    private static byte[] hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
    }
}
