package io.hookflow.common.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class TokensTest {

    static final byte[] KEY_BYTES = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    static final String KEY = Base64.getEncoder().encodeToString(KEY_BYTES);
    static final String OTHER_KEY = Base64.getEncoder().encodeToString(new byte[32]);
    static final String NEW_KEY = Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes());
    static final ObjectMapper JSON = new ObjectMapper();
    /** Tokens are verified against the real clock, so their expiry is set from it. */
    final Instant now = Instant.now();

    final Tokens tokens = new Tokens(Optional.of(KEY));

    @Test
    void shouldIssueAStandardJwtThatAnyHs256VerifierAccepts() throws Exception {
        String token = tokens.issue("acme", "apikey:42", now.plusSeconds(60));
        String[] parts = token.split("\\.");
        assertEquals(3, parts.length);
        // Verified by hand, not with Hookflow's code: HMAC-SHA256 over "header.payload" with the shared key.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY_BYTES, "HmacSHA256"));
        assertArrayEquals(mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII)),
                Base64.getUrlDecoder().decode(parts[2]));
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        assertEquals("HS256", header.path("alg").asText());
        assertEquals(TokenKeys.idOf(new SecretKeySpec(KEY_BYTES, "HmacSHA256")), header.path("kid").asText());
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertEquals("hookflow", claims.path("iss").asText());
        assertEquals("hookflow", claims.path("aud").isArray() ? claims.path("aud").get(0).asText() : claims.path("aud").asText());
        assertEquals("apikey:42", claims.path("sub").asText());
        assertEquals("acme", claims.path("org").asText());
        assertEquals(now.plusSeconds(60).getEpochSecond(), claims.path("exp").asLong());
        assertTrue(Math.abs(claims.path("iat").asLong() - now.getEpochSecond()) <= 5, claims.toString());
        assertFalse(claims.path("jti").asText().isBlank());
    }

    @Test
    void shouldVerifyATokenItIssuedWithItsClaims() {
        Instant expiry = now.plusSeconds(60);
        String token = tokens.issue("acme", "apikey:42", expiry);
        Tokens.Claims claims = tokens.verify(token, now);
        assertEquals("acme", claims.orgId());
        assertEquals("apikey:42", claims.principal());
        assertEquals(Instant.ofEpochSecond(expiry.getEpochSecond()), claims.expiry());
        assertTrue(claims.revocationKey().startsWith("jti:"), claims.revocationKey());
    }

    @Test
    void shouldIssueADistinctTokenEachTimeSoOneCanBeRevokedAlone() {
        String first = tokens.issue("acme", "apikey:42", now.plusSeconds(60));
        String second = tokens.issue("acme", "apikey:42", now.plusSeconds(60));
        assertNotEquals(first, second);
        assertNotEquals(tokens.verify(first, now).revocationKey(), tokens.verify(second, now).revocationKey());
    }

    @Test
    void shouldRejectAnExpiredTokenSayingItExpiredButStillReadItForRevocation() {
        String token = tokens.issue("acme", "bootstrap", now.minusSeconds(1));
        ApiException e = assertThrows(ApiException.class, () -> tokens.verify(token, now));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
        assertEquals("acme", tokens.read(token).orgId());
    }

    @Test
    void shouldRejectATokenSignedWithAnotherKeyOrTamperedWith() {
        String foreign = new Tokens(Optional.of(OTHER_KEY)).issue("acme", "bootstrap", now.plusSeconds(60));
        ApiException unknownKey = assertThrows(ApiException.class, () -> tokens.verify(foreign, now));
        assertEquals(401, unknownKey.status());
        assertTrue(unknownKey.getMessage().contains("kid"), unknownKey.getMessage());

        String token = tokens.issue("acme", "apikey:1", now.plusSeconds(60));
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        String otherOrg = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.replace("\"acme\"", "\"default\"").getBytes(StandardCharsets.UTF_8));
        String tampered = parts[0] + "." + otherOrg + "." + parts[2];
        assertEquals("invalid token", assertThrows(ApiException.class, () -> tokens.verify(tampered, now)).getMessage());
        for (String malformed : new String[] {"hft1.forged.token", "hft1.", "garbage", "a.b.c", "eyJ.eyJ.!!!", ""}) {
            assertEquals(401, assertThrows(ApiException.class, () -> tokens.verify(malformed, now)).status());
        }
    }

    @Test
    void shouldRefuseAnUnsignedTokenWithAlgNone() {
        String token = tokens.issue("acme", "bootstrap", now.plusSeconds(60));
        String[] parts = token.split("\\.");
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
        for (String unsigned : new String[] {none + "." + parts[1] + ".", none + "." + parts[1] + "." + parts[2]}) {
            assertEquals(401, assertThrows(ApiException.class, () -> tokens.verify(unsigned, now)).status());
        }
    }

    @Test
    void shouldRefuseATokenIssuedForAnotherAudienceOrByAnotherIssuer() {
        String otherInstallation = new Tokens(Optional.of(KEY), List.of(), "hookflow", "staging")
                .issue("acme", "bootstrap", now.plusSeconds(60));
        assertTrue(assertThrows(ApiException.class, () -> tokens.verify(otherInstallation, now)).getMessage()
                .contains("audience"));
        String otherIssuer = new Tokens(Optional.of(KEY), List.of(), "someone-else", "hookflow")
                .issue("acme", "bootstrap", now.plusSeconds(60));
        assertTrue(assertThrows(ApiException.class, () -> tokens.verify(otherIssuer, now)).getMessage()
                .contains("issuer"));
    }

    @Test
    void shouldKeepAcceptingTokensOfThePreviousKeyDuringARotationAndRefuseThemOnceItIsRetired() {
        String signedWithOld = tokens.issue("acme", "bootstrap", now.plusSeconds(60));
        Tokens rotated = new Tokens(Optional.of(NEW_KEY), List.of(KEY), "hookflow", "hookflow");
        assertEquals("acme", rotated.verify(signedWithOld, now).orgId());
        String signedWithNew = rotated.issue("acme", "bootstrap", now.plusSeconds(60));
        assertEquals("acme", rotated.verify(signedWithNew, now).orgId());
        // A service not yet rotated already verifies the new key once it lists it as previous (rollout step 1).
        assertEquals("acme", new Tokens(Optional.of(KEY), List.of(NEW_KEY), "hookflow", "hookflow")
                .verify(signedWithNew, now).orgId());

        Tokens retired = new Tokens(Optional.of(NEW_KEY));
        ApiException e = assertThrows(ApiException.class, () -> retired.verify(signedWithOld, now));
        assertTrue(e.getMessage().contains("kid"), e.getMessage());
    }

    @Test
    void shouldKeepAcceptingATokenIssuedBeforeJwtsUntilItExpires() throws Exception {
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("acme\napikey:7\n" + now.plusSeconds(60).getEpochSecond() + "\nbm9uY2U").getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY_BYTES, "HmacSHA256"));
        String legacy = "hft1." + payload + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(("hft1." + payload).getBytes(StandardCharsets.UTF_8)));
        Tokens.Claims claims = tokens.verify(legacy, now);
        assertEquals("acme", claims.orgId());
        assertEquals("apikey:7", claims.principal());
        assertEquals(TokenRevocations.digest(legacy), claims.revocationKey());
        assertTrue(assertThrows(ApiException.class, () -> tokens.verify(legacy, now.plusSeconds(60))).getMessage()
                .contains("expired"));
        assertEquals(401, assertThrows(ApiException.class,
                () -> new Tokens(Optional.of(OTHER_KEY)).verify(legacy, now)).status());
    }

    @Test
    void shouldRejectEveryTokenClearlyWithoutAUsableKey() {
        for (Tokens disabled : new Tokens[] {new Tokens(Optional.empty()), new Tokens(Optional.of("c2hvcnQ=")),
                new Tokens(Optional.of("not base64!"))}) {
            assertFalse(disabled.enabled());
            String token = tokens.issue("acme", "bootstrap", now.plusSeconds(60));
            ApiException e = assertThrows(ApiException.class, () -> disabled.verify(token, now));
            assertEquals(401, e.status());
            assertTrue(e.getMessage().contains("hookflow.auth.token-key"), e.getMessage());
        }
    }
}
