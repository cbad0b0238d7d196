package io.hookflow.delivery.signing;

import static io.hookflow.delivery.DeliveryTestSupport.publish;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.auth.Tokens;
import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.common.event.TaskIds;
import io.hookflow.delivery.DeliveryTestSupport;
import io.hookflow.stack.RecordedRequest;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The receiver's side of asymmetric signing and rotation: public keys fetched from the well-known endpoint, and every
 * {@code v1a} signature checked with BouncyCastle's Ed25519, not with the JDK code that made it. Each test has an
 * organisation of its own, so its keys are the only ones there.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class SigningKeysTest {

    static RequestSink sink;

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
    void shouldSendAV1aSignatureTheReceiverVerifiesWithThePublishedPublicKey() throws Exception {
        String org = newOrg();
        String id = as(org).post("/api/v1/signing-keys").then().statusCode(201)
                .body("algorithm", equalTo("ed25519"))
                .body("status", equalTo("active"))
                .body("publicKey", startsWith("whpk_"))
                .body("secret", nullValue())
                .extract().path("id");

        JsonPath jwks = given().get("/.well-known/hookflow/signing-keys/" + org).then().statusCode(200)
                .header("Cache-Control", containsString("max-age"))
                .body("keys", hasSize(1))
                .body("keys[0].kid", equalTo(id))
                .body("keys[0].kty", equalTo("OKP"))
                .body("keys[0].crv", equalTo("Ed25519"))
                .extract().jsonPath();
        byte[] publicKey = Base64.getUrlDecoder().decode(jwks.getString("keys[0].x"));
        assertEquals(32, publicKey.length);

        String body = "{\"event\":\"pushed\",\"text\":\"caf\u00e9 \u2713\"}";
        ActionTask task = deliver(org, "/ed25519/" + org, body, "signing-keys:all");
        RecordedRequest received = sink.awaitRequestTo("/ed25519/" + org, Duration.ofSeconds(20));

        List<String> signatures = entries(received, "v1a");
        assertEquals(1, signatures.size(), received.headers().get("webhook-signature"));
        assertEquals(task.id(), received.headers().get("webhook-id"));
        assertFalse(received.headers().containsKey("x-hookflow-signature"), "managed keys sign Standard Webhooks only");
        assertTrue(verifies(publicKey, received, received.body(), signatures.get(0)));
        assertFalse(verifies(publicKey, received, received.body().replace("pushed", "pulled"), signatures.get(0)),
                "a tampered body must not verify");
        awaitStatus(org, task.id(), "SUCCEEDED");
    }

    @Test
    void shouldCarryBothKeysSignaturesDuringTheOverlapAndOnlyTheNewOnesAfterRetirement() throws Exception {
        String org = newOrg();
        String oldId = as(org).post("/api/v1/signing-keys").then().statusCode(201).extract().path("id");
        String newId = as(org).post("/api/v1/signing-keys/" + oldId + "/rotate").then().statusCode(201)
                .body("status", equalTo("active")).extract().path("id");
        as(org).get("/api/v1/signing-keys").then().statusCode(200)
                .body("items.find { it.id == '" + oldId + "' }.status", equalTo("retiring"))
                .body("items.find { it.id == '" + oldId + "' }.expiresAt", notNullValue())
                .body("items.find { it.id == '" + newId + "' }.status", equalTo("active"));
        Map<String, byte[]> published = publishedKeys(org);
        assertEquals(List.of(newId, oldId), List.copyOf(published.keySet()), "newest first, both during the overlap");

        RecordedRequest during = sendAndReceive(org, "/overlap/" + org, "{\"n\":1}");
        List<String> both = entries(during, "v1a");
        assertEquals(2, both.size(), during.headers().get("webhook-signature"));
        for (byte[] key : published.values()) {
            assertEquals(1, both.stream().filter(signature -> verifies(key, during, during.body(), signature)).count(),
                    "each key verifies exactly one of the signatures");
        }

        // A short overlap, and a delivery within it: the replica holds the old key while its retirement comes.
        as(org).queryParam("overlapSeconds", 4).post("/api/v1/signing-keys/" + oldId + "/retire").then()
                .statusCode(200).body("status", equalTo("retiring"));
        sendAndReceive(org, "/retiring/" + org, "{\"n\":1.5}");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> "retired".equals(
                as(org).get("/api/v1/signing-keys").then().extract().path("items.find { it.id == '" + oldId + "' }.status")));
        assertEquals(List.of(newId), List.copyOf(publishedKeys(org).keySet()), "a retired key is no longer published");

        RecordedRequest after = sendAndReceive(org, "/retired/" + org, "{\"n\":2}");
        List<String> only = entries(after, "v1a");
        assertEquals(1, only.size(), after.headers().get("webhook-signature"));
        assertTrue(verifies(published.get(newId), after, after.body(), only.get(0)));
        assertFalse(verifies(published.get(oldId), after, after.body(), only.get(0)));
    }

    @Test
    void shouldSignWithEveryNamedKeySymmetricAndAsymmetricAlike() throws Exception {
        String org = newOrg();
        String ed25519 = as(org).post("/api/v1/signing-keys").then().statusCode(201).extract().path("id");
        var hmac = as(org).contentType("application/json").body("{\"algorithm\":\"hmac-sha256\"}")
                .post("/api/v1/signing-keys").then().statusCode(201)
                .body("publicKey", nullValue())
                .body("secret", startsWith("whsec_"))
                .extract();
        String hmacId = hmac.path("id");
        String secret = hmac.path("secret");
        as(org).get("/api/v1/signing-keys").then().statusCode(200)
                .body("items", hasSize(2))
                .body("items.secret", equalTo(Arrays.asList(null, null)));
        // Symmetric keys are never published.
        given().get("/.well-known/hookflow/signing-keys/" + org).then().body("keys.kid", equalTo(List.of(ed25519)));

        ActionTask task = deliver(org, "/mixed/" + org, "{\"mixed\":true}", "signing-keys:" + hmacId + ", " + ed25519);
        RecordedRequest received = sink.awaitRequestTo("/mixed/" + org, Duration.ofSeconds(20));
        assertEquals(2, received.headers().get("webhook-signature").split(" ").length);
        List<String> asymmetric = entries(received, "v1a");
        List<String> symmetric = entries(received, "v1");
        assertEquals(1, asymmetric.size());
        assertEquals(1, symmetric.size());
        assertTrue(verifies(publishedKeys(org).get(ed25519), received, received.body(), asymmetric.get(0)));
        byte[] signed = (received.headers().get("webhook-id") + "." + received.headers().get("webhook-timestamp") + "."
                + received.body()).getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        assertEquals(Base64.getEncoder().encodeToString(mac.doFinal(signed)), symmetric.get(0));
        awaitStatus(org, task.id(), "SUCCEEDED");
    }

    @Test
    void shouldNeverShowOrStoreAPrivateKey() throws Exception {
        String org = newOrg();
        String created = as(org).post("/api/v1/signing-keys").then().statusCode(201).extract().asString();
        String id = JsonPath.from(created).getString("id");
        String sealed = QuarkusTransaction.requiringNew().call(() -> (String) entityManager
                .createNativeQuery("select private_key from delivery.signing_key where id = :id")
                .setParameter("id", id).getSingleResult());
        assertTrue(sealed.startsWith("enc:v1:"), "sealed at rest");
        byte[] seed = Base64.getDecoder().decode(DeliveryTestSupport.cipher().decrypt(sealed));
        assertEquals(32, seed.length);
        List<String> forms = List.of(Base64.getEncoder().encodeToString(seed),
                Base64.getEncoder().withoutPadding().encodeToString(seed),
                Base64.getUrlEncoder().withoutPadding().encodeToString(seed), HexFormat.of().formatHex(seed));

        ActionTask task = deliver(org, "/private/" + org, "{}", "signing-keys:all");
        sink.awaitRequestTo("/private/" + org, Duration.ofSeconds(20));
        String execution = awaitStatus(org, task.id(), "SUCCEEDED")
                .body("request.secret", equalTo("********"))
                .body("attempts[0].request.headers.webhook-signature", equalTo("********"))
                .extract().asString();
        List<String> answers = List.of(created, execution,
                as(org).get("/api/v1/signing-keys").then().statusCode(200).extract().asString(),
                given().get("/.well-known/hookflow/signing-keys/" + org).then().statusCode(200).extract().asString(),
                as(org).post("/api/v1/signing-keys/" + id + "/retire").then().statusCode(200).extract().asString());
        for (String answer : answers) {
            for (String form : forms) {
                assertFalse(answer.contains(form), answer);
            }
        }
        String stored = QuarkusTransaction.requiringNew().call(() -> String.valueOf(entityManager.createNativeQuery(
                "select string_agg(request::text, ' ') from delivery.attempt where execution_id = :id")
                .setParameter("id", UUID.fromString(task.id())).getSingleResult()));
        assertTrue(stored.contains("webhook-id"), stored);
        forms.forEach(form -> assertFalse(stored.contains(form), stored));
    }

    @Test
    void shouldAnswerBadInputToTheKeyApiWithJsonErrors() {
        String org = newOrg();
        error(as(org).contentType("application/json").body("{\"algorithm\":\"rsa\"}").post("/api/v1/signing-keys"),
                400, "validation_failed").body("details[0].path", equalTo("algorithm"));
        error(as(org).contentType("application/json").body("{\"algorithm\":7}").post("/api/v1/signing-keys"),
                400, "validation_failed");
        error(as(org).contentType("application/json").body("{\"algo\":\"ed25519\"}").post("/api/v1/signing-keys"),
                400, "validation_failed").body("details[0].path", equalTo("algo"));
        error(as(org).contentType("application/json").body("[\"ed25519\"]").post("/api/v1/signing-keys"),
                400, "bad_request");
        error(as(org).contentType("application/json").body("{\"algorithm\":").post("/api/v1/signing-keys"),
                400, "bad_request");
        error(as(org).contentType("text/plain").body("ed25519").post("/api/v1/signing-keys"),
                415, "unsupported_media_type");
        error(as(org).post("/api/v1/signing-keys/sk_00000000000000000000/retire"), 404, "not_found");
        error(as(org).post("/api/v1/signing-keys/sk_00000000000000000000/rotate"), 404, "not_found");

        String id = as(org).post("/api/v1/signing-keys").then().statusCode(201).extract().path("id");
        for (String overlap : List.of("-1", "abc", "2592001", "1.5")) {
            error(as(org).queryParam("overlapSeconds", overlap).post("/api/v1/signing-keys/" + id + "/retire"),
                    400, "validation_failed").body("details[0].path", equalTo("overlapSeconds"));
        }
        as(org).queryParam("overlapSeconds", 0).post("/api/v1/signing-keys/" + id + "/retire").then().statusCode(200);
        error(as(org).post("/api/v1/signing-keys/" + id + "/retire"), 409, "conflict");
        error(as(org).post("/api/v1/signing-keys/" + id + "/rotate"), 409, "conflict");
        error(given().get("/api/v1/signing-keys"), 401, "unauthorized");
        error(given().post("/api/v1/signing-keys"), 401, "unauthorized");
    }

    @Test
    void shouldKeepAKeyToItsOrganisation() throws Exception {
        String owner = newOrg();
        String other = newOrg();
        String id = as(owner).post("/api/v1/signing-keys").then().statusCode(201).extract().path("id");

        as(other).get("/api/v1/signing-keys").then().statusCode(200).body("items", hasSize(0));
        given().get("/.well-known/hookflow/signing-keys/" + other).then().statusCode(200).body("keys", hasSize(0));
        error(as(other).post("/api/v1/signing-keys/" + id + "/retire"), 404, "not_found");
        error(as(other).post("/api/v1/signing-keys/" + id + "/rotate"), 404, "not_found");

        ActionTask task = deliver(other, "/foreign/" + other, "{}", "signing-keys:" + id);
        awaitStatus(other, task.id(), "FAILED")
                .body("lastError", equalTo("refused: the signing key '" + id + "' is not one of the organisation's keys"));
        assertTrue(sink.requestsTo("/foreign/" + other).isEmpty(), "nothing sent without the signature it asked for");
        as(owner).get("/api/v1/signing-keys").then().body("items[0].status", equalTo("active"));
    }

    @Test
    void shouldFailWithoutSendingWhenTheOrganisationHasNoKeyThatSigns() throws Exception {
        String org = newOrg();
        ActionTask task = deliver(org, "/nokeys/" + org, "{}", "signing-keys:all");
        awaitStatus(org, task.id(), "FAILED").body("lastError", containsString("has no active signing key"));
        assertTrue(sink.requestsTo("/nokeys/" + org).isEmpty());
    }

    @Test
    void shouldSignATestDeliveryWithTheCallersKeys() {
        String org = newOrg();
        String id = as(org).post("/api/v1/signing-keys").then().statusCode(201).extract().path("id");
        sink.respondWith("/try/" + org, 202);
        as(org).contentType("application/json")
                .body(Map.of("url", sink.url("/try/" + org), "body", "{\"try\":1}", "secret", "signing-keys:" + id))
                .post("/api/v1/test-deliveries").then().statusCode(200)
                .body("error", nullValue())
                .body("response.status", equalTo(202))
                .body("request.headers.webhook-signature", equalTo("********"));
        RecordedRequest received = sink.awaitRequestTo("/try/" + org, Duration.ofSeconds(20));
        assertTrue(verifies(publishedKeys(org).get(id), received, received.body(), entries(received, "v1a").get(0)));
    }

    // --- the receiver's tools -----------------------------------------------------------------------------------

    /** Ed25519 verification by BouncyCastle, over "{webhook-id}.{webhook-timestamp}.{body}". */
    static boolean verifies(byte[] publicKey, RecordedRequest request, String body, String signature) {
        byte[] signed = (request.headers().get("webhook-id") + "." + request.headers().get("webhook-timestamp") + "."
                + body).getBytes(StandardCharsets.UTF_8);
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
        verifier.update(signed, 0, signed.length);
        return verifier.verifySignature(Base64.getDecoder().decode(signature));
    }

    /** The base64 signatures of one version in the request's space-separated {@code webhook-signature}. */
    static List<String> entries(RecordedRequest request, String version) {
        String header = request.headers().get("webhook-signature");
        List<String> found = new ArrayList<>();
        for (String entry : header == null ? new String[0] : header.split(" ")) {
            if (entry.startsWith(version + ",")) {
                found.add(entry.substring(version.length() + 1));
            }
        }
        return found;
    }

    /** kid -> raw public key, as a receiver reads them from the well-known endpoint (no credentials). */
    static Map<String, byte[]> publishedKeys(String org) {
        JsonPath jwks = given().get("/.well-known/hookflow/signing-keys/" + org).then().statusCode(200).extract().jsonPath();
        Map<String, byte[]> keys = new java.util.LinkedHashMap<>();
        List<String> ids = jwks.getList("keys.kid");
        List<String> xs = jwks.getList("keys.x");
        for (int i = 0; i < ids.size(); i++) {
            keys.put(ids.get(i), Base64.getUrlDecoder().decode(xs.get(i)));
        }
        return keys;
    }

    // --- set-up ----------------------------------------------------------------------------------------------------

    static String newOrg() {
        return "sig-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** An API request authenticated as the organisation, by a token signed with the test profile's key. */
    static RequestSpecification as(String org) {
        String key = ConfigProvider.getConfig().getValue("hookflow.auth.token-key", String.class);
        return given().header("X-Auth-Token",
                new Tokens(Optional.of(key)).issue(org, "signing-test", Instant.now().plusSeconds(600)));
    }

    static ValidatableResponse error(io.restassured.response.Response response, int status, String error) {
        return response.then().statusCode(status).contentType("application/json")
                .body("error", equalTo(error)).body("message", notNullValue());
    }

    static ActionTask deliver(String org, String path, String body, String secret) throws Exception {
        String triggerInstance = UUID.randomUUID().toString();
        ActionTask task = new ActionTask(1, TaskIds.forTask(triggerInstance, "rule-sig"), org, triggerInstance,
                "demo.test", "rule-sig", "demo.signed_rule", "core.http",
                new OutboundRequest("POST", sink.url(path), Map.of("Content-Type", "application/json"), body, null, null,
                        secret, null), Instant.now(), 0);
        publish(task);
        return task;
    }

    static RecordedRequest sendAndReceive(String org, String path, String body) throws Exception {
        ActionTask task = deliver(org, path, body, "signing-keys:all");
        RecordedRequest received = sink.awaitRequestTo(path, Duration.ofSeconds(20));
        awaitStatus(org, task.id(), "SUCCEEDED");
        return received;
    }

    static ValidatableResponse awaitStatus(String org, String executionId, String status) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                status.equals(as(org).get("/api/v1/executions/" + executionId).then().extract().path("status")));
        return as(org).get("/api/v1/executions/" + executionId).then().statusCode(200);
    }
}
