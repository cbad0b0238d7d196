package io.hookflow.e2e;

import static io.hookflow.e2e.HookflowSystem.KEY;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tokens are JWTs every service verifies, through a key rotation: the services sign with the current key and still
 * accept the previous one (HookflowSystem configures both), while a retired key, another audience or a revoked token
 * is refused by all three. The tokens here are signed by this test's own HS256 code, not by Hookflow's.
 */
@ExtendWith(HookflowSystem.class)
class TokenRotationIT {

    /** The local profile's dev key: the services' current key. */
    static final String CURRENT_KEY = "aG9va2Zsb3ctZGV2LW9ubHktdG9rZW4ta2V5LTMyYnl0ZXMh";
    static final String RETIRED_KEY = Base64.getEncoder().encodeToString("a-retired-key-nobody-holds-any-more".getBytes());

    final HookflowSystem system = HookflowSystem.get();

    @Test
    void shouldAcceptATokenOfThePreviousKeyOnEveryServiceDuringARotation() {
        String token = jwt(HookflowSystem.PREVIOUS_TOKEN_KEY, "hookflow", UUID.randomUUID().toString());
        for (String url : listings()) {
            given().header("X-Auth-Token", token).get(url).then().statusCode(200);
        }
        // Tokens issued now are signed with the current key, which every service verifies too.
        String issued = given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY).post("/api/v1/auth/tokens")
                .then().statusCode(201).body("token", startsWith("eyJ")).extract().path("token");
        for (String url : listings()) {
            given().queryParam("x-auth-token", issued).get(url).then().statusCode(200);
        }
    }

    @Test
    void shouldRefuseATokenOfARetiredKeyOrAnotherAudienceOnEveryService() {
        String retired = jwt(RETIRED_KEY, "hookflow", UUID.randomUUID().toString());
        String otherInstallation = jwt(CURRENT_KEY, "staging", UUID.randomUUID().toString());
        for (String url : listings()) {
            given().header("X-Auth-Token", retired).get(url).then().statusCode(401)
                    .body("error", equalTo("unauthorized")).body("message", containsString("kid"));
            given().header("X-Auth-Token", otherInstallation).get(url).then().statusCode(401)
                    .body("message", containsString("audience"));
        }
    }

    @Test
    void shouldRefuseARevokedTokenOfThePreviousKeyOnEveryServiceByItsJti() {
        String token = jwt(HookflowSystem.PREVIOUS_TOKEN_KEY, "hookflow", UUID.randomUUID().toString());
        String sameClaimsOtherJti = jwt(HookflowSystem.PREVIOUS_TOKEN_KEY, "hookflow", UUID.randomUUID().toString());
        given().baseUri(system.ingestUrl()).header("St2-Api-Key", KEY).contentType("application/json")
                .body("{\"token\": \"" + token + "\"}").post("/api/v1/auth/tokens/revoke").then().statusCode(204);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String url : listings()) {
                given().header("X-Auth-Token", token).get(url).then().statusCode(401)
                        .body("message", containsString("revoked"));
            }
        });
        for (String url : listings()) {
            given().header("X-Auth-Token", sameClaimsOtherJti).get(url).then().statusCode(200);
        }
    }

    private String[] listings() {
        return new String[] {system.ingestUrl() + "/api/v1/webhooks", system.rulesUrl() + "/api/v1/rules",
                system.deliveryUrl() + "/api/v1/executions"};
    }

    /** An HS256 JWT for the bootstrap principal of the default organisation, valid for ten minutes. */
    static String jwt(String base64Key, String audience, String jti) {
        byte[] key = Base64.getDecoder().decode(base64Key);
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + keyId(key) + "\"}";
        String claims = "{\"iss\":\"hookflow\",\"aud\":\"" + audience + "\",\"sub\":\"bootstrap\",\"org\":\"default\","
                + "\"iat\":" + now + ",\"exp\":" + (now + 600) + ",\"jti\":\"" + jti + "\"}";
        String signed = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return signed + "." + base64Url(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** As docs/ingest.md documents it: base64url(SHA-256("hookflow-token-key:" + key)), first 16 characters. */
    static String keyId(byte[] key) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update("hookflow-token-key:".getBytes(StandardCharsets.UTF_8));
            return base64Url(sha256.digest(key)).substring(0, 16);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
