package io.hookflow.e2e.hostile;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.hookflow.stack.RequestSink;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The few real resources the corpus needs ids of, made the ordinary way before any hostile request: two
 * organisations (A, whose credentials most cases use, and B, which must see none of A), tokens that are valid,
 * revoked and expired, disabled and deleted keys, A's rules, a delivered execution with its trigger instance and
 * enforcement, and webhooks by id. Every value lands in {@link Placeholders} under the name the corpus uses.
 */
public final class CorpusSetup {

    /** The organisations of this corpus, so its rules, circuits and records never mix with other tests'. */
    public static final String ORG_A = "hostile-a";
    public static final String ORG_B = "hostile-b";
    /** A whole (47 characters) key that was never issued. */
    public static final String WRONG_KEY = "hfk_" + "A".repeat(43);

    private final String bootstrapKey;
    private final String ingest;
    private final String rules;
    private final String delivery;
    private final RequestSink sink;
    private final Placeholders values;

    public CorpusSetup(String bootstrapKey, String ingest, String rules, String delivery, RequestSink sink,
                       Placeholders values) {
        this.bootstrapKey = bootstrapKey;
        this.ingest = ingest;
        this.rules = rules;
        this.delivery = delivery;
        this.sink = sink;
        this.values = values;
    }

    public void run() {
        values.put("bootstrapKey", bootstrapKey);
        values.put("wrongKey", WRONG_KEY);
        values.put("forgedToken", forgedToken());
        values.put("sink", sink.url(""));
        values.put("sinkPort", String.valueOf(sink.port()));

        Response keyA = createKey(bootstrapKey, "{\"name\": \"hostile corpus A\", \"orgId\": \"" + ORG_A + "\"}");
        String key = keyA.path("key");
        values.put("key", key);
        values.put("apiKeyId", keyA.path("id"));
        String keyB = createKey(bootstrapKey, "{\"name\": \"hostile corpus B\", \"orgId\": \"" + ORG_B + "\"}").path("key");
        values.put("orgBKey", keyB);
        // A token asked for with a one-second life is expired by the time the setup below is done.
        values.put("expiredToken", token(key, "{\"ttl\": 1}"));
        values.put("forgedJwt", forgedJwt(token(key, "")));

        Response disabled = createKey(key, "{\"name\": \"to be disabled\"}");
        given().baseUri(ingest).header("St2-Api-Key", key).contentType("application/json").body("{\"enabled\": false}")
                .put("/api/v1/apikeys/" + disabled.path("id")).then().statusCode(200);
        values.put("disabledKey", disabled.path("key"));
        Response deleted = createKey(key, "{\"name\": \"to be deleted\"}");
        given().baseUri(ingest).header("St2-Api-Key", key).delete("/api/v1/apikeys/" + deleted.path("id"))
                .then().statusCode(204);
        values.put("deletedKey", deleted.path("key"));

        // Every service learns keys from the api-keys topic; wait until rules and delivery know all four changes.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (String listing : List.of(rules + "/api/v1/rules", delivery + "/api/v1/destinations")) {
                given().header("St2-Api-Key", key).get(listing).then().statusCode(200);
                given().header("St2-Api-Key", keyB).get(listing).then().statusCode(200);
                given().header("St2-Api-Key", disabled.<String>path("key")).get(listing).then().statusCode(401);
                given().header("St2-Api-Key", deleted.<String>path("key")).get(listing).then().statusCode(401);
            }
        });

        values.put("token", token(key, ""));
        values.put("orgBToken", token(keyB, ""));
        String revoked = token(key, "");
        given().baseUri(ingest).header("St2-Api-Key", key).contentType("application/json")
                .body("{\"token\": \"" + revoked + "\"}").post("/api/v1/auth/tokens/revoke").then().statusCode(204);
        values.put("revokedToken", revoked);

        createRules(key);
        deliverOneExecution(key);
        createWebhooksById(key);

        // Revocations travel on token-revocations; the one-second token must have run out everywhere.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (String listing : List.of(ingest + "/api/v1/webhooks", rules + "/api/v1/rules",
                    delivery + "/api/v1/destinations")) {
                given().header("X-Auth-Token", revoked).get(listing)
                        .then().statusCode(401).body("message", containsString("revoked"));
                given().header("X-Auth-Token", values.get("expiredToken")).get(listing)
                        .then().statusCode(401).body("message", containsString("expired"));
            }
        });
        // Ingest serves a rule's webhook url once it has read the rule from rule-changes.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().baseUri(ingest).header("St2-Api-Key", key).get("/api/v1/webhooks")
                        .then().statusCode(200).body("name", hasItem("hostile/in")).body("name", hasItem("hostile/good")));
        // A target that answers with a redirect: delivery must report it, never follow it.
        sink.respondWith("/hostile/redirect", 302);
    }

    private void createRules(String key) {
        // The rule the tenancy, execute and records cases point at; it fires only on the setup's own trigger.
        createRule(key, """
                {"name": "target", "pack": "hostile", "enabled": true, "trigger": {"type": "hostile.setup"},
                 "action": {"ref": "core.http", "parameters": {"url": "%s", "method": "POST",
                   "body": "{{ trigger.n }}"}}}""".formatted(sink.url("/hostile/setup")));
        values.put("ruleRef", "hostile.target");
        values.put("ruleId", given().baseUri(rules).header("St2-Api-Key", key).get("/api/v1/rules/hostile.target")
                .then().statusCode(200).extract().path("id"));
        // A registered webhook url for body cases; its criterion never holds, so what it receives goes nowhere.
        createRule(key, """
                {"name": "inbound", "pack": "hostile", "enabled": true,
                 "trigger": {"type": "core.st2.webhook", "parameters": {"url": "hostile/in"}},
                 "criteria": {"trigger.body.hostile_never": {"type": "equals", "pattern": "never"}},
                 "action": {"ref": "core.http", "parameters": {"url": "%s"}}}""".formatted(sink.url("/hostile/never")));
        // The good webhooks of the final check, one per webhook form.
        createRule(key, """
                {"name": "good_st2", "pack": "hostile", "enabled": true, "trigger": {"type": "hostile.good"},
                 "action": {"ref": "core.http", "parameters": {"url": "%s", "method": "POST",
                   "body": "{{ trigger.marker }}"}}}""".formatted(sink.url("/hostile/good/st2")));
        createRule(key, """
                {"name": "good_url", "pack": "hostile", "enabled": true,
                 "trigger": {"type": "core.st2.webhook", "parameters": {"url": "hostile/good"}},
                 "action": {"ref": "core.http", "parameters": {"url": "%s", "method": "POST",
                   "body": "{{ trigger.body.marker }}"}}}""".formatted(sink.url("/hostile/good/url")));
    }

    private void deliverOneExecution(String key) {
        String triggerInstance = given().baseUri(ingest).header("St2-Api-Key", key).contentType("application/json")
                .body("{\"trigger\": \"hostile.setup\", \"payload\": {\"n\": \"setup\"}}")
                .post("/api/v1/webhooks/st2").then().statusCode(202).extract().path("id");
        values.put("triggerInstanceId", triggerInstance);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().baseUri(delivery).header("St2-Api-Key", key).queryParam("triggerInstance", triggerInstance)
                        .get("/api/v1/executions").then().statusCode(200).body("items[0].status", equalTo("SUCCEEDED")));
        values.put("executionId", given().baseUri(delivery).header("St2-Api-Key", key)
                .queryParam("triggerInstance", triggerInstance).get("/api/v1/executions").path("items[0].id"));
        values.put("enforcementId", given().baseUri(rules).header("St2-Api-Key", key)
                .queryParam("triggerInstance", triggerInstance).get("/api/v1/ruleenforcements")
                .then().statusCode(200).extract().path("items[0].id"));
    }

    private void createWebhooksById(String key) {
        values.put("webhookId", given().baseUri(ingest).header("St2-Api-Key", key).contentType("application/json")
                .body("{\"name\": \"hostile by id\"}").post("/api/v1/webhooks").then().statusCode(201).extract().path("id"));
        values.put("signedWebhookId", given().baseUri(ingest).header("St2-Api-Key", key).contentType("application/json")
                .body("{\"name\": \"hostile signed\", \"secret\": \"hostile-signing-secret\"}").post("/api/v1/webhooks")
                .then().statusCode(201).extract().path("id"));
        values.put("now", String.valueOf(System.currentTimeMillis() / 1000));
    }

    private Response createKey(String creator, String body) {
        return given().baseUri(ingest).header("St2-Api-Key", creator).contentType("application/json").body(body)
                .post("/api/v1/apikeys").then().statusCode(201).extract().response();
    }

    private String token(String key, String body) {
        var request = given().baseUri(ingest).header("St2-Api-Key", key);
        if (!body.isEmpty()) {
            request = request.contentType("application/json").body(body);
        }
        return request.post("/api/v1/auth/tokens").then().statusCode(201).extract().path("token");
    }

    private void createRule(String key, String json) {
        given().baseUri(rules).header("St2-Api-Key", key).contentType("application/json").body(json)
                .post("/api/v1/rules").then().statusCode(201);
    }

    /** Shaped like a token of organisation A that never expires, signed with a key nobody has. */
    private static String forgedToken() {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String payload = base64.encodeToString((ORG_A + "\nbootstrap\n9999999999\nforged").getBytes(StandardCharsets.UTF_8));
        byte[] signature = new byte[32];
        new SecureRandom().nextBytes(signature);
        return "hft1." + payload + "." + base64.encodeToString(signature);
    }

    /**
     * A JWT with a real token's header (so its kid names the real key) and claims of organisation A that never
     * expire, signed with random bytes: only the signature check can refuse it.
     */
    private static String forgedJwt(String realToken) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String claims = "{\"iss\":\"hookflow\",\"aud\":\"hookflow\",\"sub\":\"bootstrap\",\"org\":\"" + ORG_A
                + "\",\"iat\":1700000000,\"exp\":9999999999,\"jti\":\"forged\"}";
        byte[] signature = new byte[32];
        new SecureRandom().nextBytes(signature);
        return realToken.substring(0, realToken.indexOf('.')) + "." + base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
                + "." + base64.encodeToString(signature);
    }

    /** The header a corpus case's {@code auth} stands for, or null for {@code none}. */
    public RawHttp.Header credential(String auth) {
        return switch (auth) {
            case "none" -> null;
            case "key", "wrongKey", "disabledKey", "deletedKey", "orgBKey", "bootstrapKey" ->
                    new RawHttp.Header("St2-Api-Key", values.get(auth));
            case "orgB" -> new RawHttp.Header("St2-Api-Key", values.get("orgBKey"));
            case "bootstrap" -> new RawHttp.Header("St2-Api-Key", values.get("bootstrapKey"));
            case "token", "orgBToken", "revokedToken", "expiredToken", "forgedToken", "forgedJwt" ->
                    new RawHttp.Header("X-Auth-Token", values.get(auth));
            default -> throw new IllegalArgumentException("unknown auth '" + auth + "'");
        };
    }

    public Map<String, String> baseUrls() {
        return Map.of("ingest", ingest, "rules", rules, "delivery", delivery);
    }
}
