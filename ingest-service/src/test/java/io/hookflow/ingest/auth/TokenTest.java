package io.hookflow.ingest.auth;

import static io.hookflow.ingest.Api.BOOTSTRAP;
import static io.hookflow.ingest.Api.as;
import static io.hookflow.ingest.Api.createKey;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.common.auth.Tokens;
import io.hookflow.ingest.TriggerTopic;
import io.hookflow.stack.testing.KafkaTestResource;
import io.hookflow.stack.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Tokens: issued for an API key or a token, verified locally, refused when expired, forged or orphaned. */
@QuarkusTest
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false, parallel = true)
@QuarkusTestResource(value = PostgresTestResource.class, restrictToAnnotatedClass = false, parallel = true)
class TokenTest {

    @ConfigProperty(name = "hookflow.auth.token-key")
    String tokenKey;

    static String token(String key) {
        return as(key).post("/api/v1/auth/tokens").then().statusCode(201).extract().path("token");
    }

    @Test
    void shouldIssueADayLongTokenThatAuthenticatesInTheHeaderAndTheQuery() {
        String org = "org-" + UUID.randomUUID().toString().substring(0, 8);
        String key = createKey(BOOTSTRAP, Map.of("orgId", org)).get("key");
        var issued = as(key).post("/api/v1/auth/tokens").then().statusCode(201)
                .body("token", startsWith("eyJ")).body("orgId", equalTo(org)).extract();
        Instant expiry = Instant.parse(issued.path("expiry"));
        Duration ttl = Duration.between(Instant.now(), expiry);
        assertTrue(ttl.compareTo(Duration.ofHours(23)) > 0 && ttl.compareTo(Duration.ofHours(24)) <= 0, ttl.toString());
        String token = issued.path("token");

        given().header("X-Auth-Token", token).get("/api/v1/apikeys").then().statusCode(200)
                .body("orgId[0]", equalTo(org));
        given().queryParam("x-auth-token", token).get("/api/v1/apikeys").then().statusCode(200);
        // A token may ask for another token, which never outlives it.
        var renewed = given().header("X-Auth-Token", token).post("/api/v1/auth/tokens").then().statusCode(201).extract();
        assertFalse(Instant.parse(renewed.path("expiry")).isAfter(expiry));
        assertEquals(org, renewed.path("orgId"));
    }

    @Test
    void shouldIssueAShorterTokenOnRequestButNeverALongerOne() {
        // Bracketed by the clock before and after the call, not by a guess at how long the call takes: a slow machine
        // can stretch the call, never move the expiry outside [before + 60 s, after + 60 s] (the expiry may be cut to
        // whole seconds, hence the second's start).
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        var issued = as(BOOTSTRAP).body(Map.of("ttl", 60)).post("/api/v1/auth/tokens").then().statusCode(201).extract();
        Instant after = Instant.now();
        Instant expiry = Instant.parse(issued.path("expiry"));
        assertFalse(expiry.isBefore(before.plusSeconds(60)), "expiry " + expiry + ", asked at " + before);
        assertFalse(expiry.isAfter(after.plusSeconds(60)), "expiry " + expiry + ", answered at " + after);
        as(BOOTSTRAP).body(Map.of("ttl", 86_401)).post("/api/v1/auth/tokens")
                .then().statusCode(400).body("details[0].path", equalTo("ttl"));
        as(BOOTSTRAP).body(Map.of("ttl", "soon")).post("/api/v1/auth/tokens").then().statusCode(400);
        as(BOOTSTRAP).body(Map.of("ttl", 0)).post("/api/v1/auth/tokens").then().statusCode(400);
    }

    @Test
    void shouldAnswerOnTheStackStormAuthPath() {
        given().header("St2-Api-Key", BOOTSTRAP).post("/auth/v1/tokens").then().statusCode(201)
                .body("token", startsWith("eyJ")).body("orgId", equalTo("default"));
    }

    @Test
    void shouldRefuseAnExpiredTokenSayingItExpired() {
        String expired = new Tokens(Optional.of(tokenKey)).issue("default", "bootstrap", Instant.now().minusSeconds(1));
        given().header("X-Auth-Token", expired).get("/api/v1/webhooks").then().statusCode(401)
                .body("error", equalTo("unauthorized")).body("message", containsString("expired"));
    }

    @Test
    void shouldRefuseAForgedOrTamperedToken() {
        String otherKey = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        String forged = new Tokens(Optional.of(otherKey)).issue("default", "bootstrap", Instant.now().plusSeconds(600));
        for (String bad : new String[] {forged, "hft1.forged.token", token(BOOTSTRAP) + "x", "not-a-token"}) {
            given().header("X-Auth-Token", bad).get("/api/v1/webhooks").then().statusCode(401)
                    .body("message", startsWith("invalid token"));
        }
    }

    @Test
    void shouldRefuseARevokedTokenWhileTheKeysOtherTokensKeepWorking() {
        String key = createKey(BOOTSTRAP, Map.of()).get("key");
        String revoked = token(key);
        String kept = token(key);
        given().header("X-Auth-Token", revoked).get("/api/v1/webhooks").then().statusCode(200);

        // A token may revoke itself.
        given().header("X-Auth-Token", revoked).contentType("application/json").body(Map.of("token", revoked))
                .post("/api/v1/auth/tokens/revoke").then().statusCode(204);

        given().header("X-Auth-Token", revoked).get("/api/v1/webhooks").then().statusCode(401)
                .body("message", containsString("revoked"));
        given().header("X-Auth-Token", kept).get("/api/v1/webhooks").then().statusCode(200);
        // Revoking again changes nothing and is no error.
        as(key).contentType("application/json").body(Map.of("token", revoked))
                .post("/api/v1/auth/tokens/revoke").then().statusCode(204);
    }

    @Test
    void shouldRevokeOnlyTheCallersOwnOrganisationsTokensAndOnlyRealTokens() {
        String otherOrgsKey = createKey(BOOTSTRAP, Map.of("orgId", "revoke-other-org")).get("key");
        String otherOrgsToken = token(otherOrgsKey);

        as(BOOTSTRAP).contentType("application/json").body(Map.of("token", otherOrgsToken + "x"))
                .post("/api/v1/auth/tokens/revoke").then().statusCode(400)
                .body("details[0].path", equalTo("token")).body("details[0].message", containsString("not a token"));
        as(BOOTSTRAP).contentType("application/json").body(Map.of())
                .post("/api/v1/auth/tokens/revoke").then().statusCode(400)
                .body("details[0].path", equalTo("token"));
        String defaultOrgsKey = createKey(BOOTSTRAP, Map.of()).get("key");
        as(defaultOrgsKey).contentType("application/json").body(Map.of("token", otherOrgsToken))
                .post("/api/v1/auth/tokens/revoke").then().statusCode(404);
        given().header("X-Auth-Token", otherOrgsToken).get("/api/v1/webhooks").then().statusCode(200);
    }

    @Test
    void shouldRefuseTheTokensOfAKeyOnceItIsDisabled() {
        Map<String, String> created = createKey(BOOTSTRAP, Map.of());
        String token = token(created.get("key"));
        given().header("X-Auth-Token", token).get("/api/v1/webhooks").then().statusCode(200);
        as(BOOTSTRAP).body(Map.of("enabled", false)).put("/api/v1/apikeys/" + created.get("id")).then().statusCode(200);
        given().header("X-Auth-Token", token).get("/api/v1/webhooks").then().statusCode(401)
                .body("message", containsString("disabled or deleted"));
    }

    @Test
    void shouldNotDispatchTheTokenOrKeyOfATokenAuthenticatedRequest() throws Exception {
        String token = token(BOOTSTRAP);
        String id = given().header("X-Auth-Token", token).post("/api/v1/webhooks").then().statusCode(201).extract().path("id");
        try (TriggerTopic topic = TriggerTopic.atEnd(() -> as(BOOTSTRAP)
                .body(Map.of("trigger", "test.warmup", "payload", Map.of())).post("/api/v1/webhooks/st2"))) {
            given().header("X-Auth-Token", token).queryParam("x-auth-token", token)
                    .contentType("application/json").body(Map.of("a", 1))
                    .post("/api/v1/trigger-webhooks/" + id).then().statusCode(202);
            JsonNode event = topic.nextEvent();
            assertFalse(event.toString().contains(token), "the token travelled downstream: " + event);
            assertFalse(event.path("payload").path("headers").has("x-auth-token"));
            assertEquals(1, event.path("payload").path("body").path("a").asInt());
        }
    }
}
