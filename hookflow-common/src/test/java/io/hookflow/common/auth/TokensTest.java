package io.hookflow.common.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.error.ApiException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokensTest {

    static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    static final String OTHER_KEY = Base64.getEncoder().encodeToString(new byte[32]);
    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    final Tokens tokens = new Tokens(Optional.of(KEY));

    @Test
    void shouldVerifyATokenItIssuedWithItsClaims() {
        String token = tokens.issue("acme", "apikey:42", NOW.plusSeconds(60));
        assertTrue(token.startsWith("hft1."));
        Tokens.Claims claims = tokens.verify(token, NOW);
        assertEquals(new Tokens.Claims("acme", "apikey:42", NOW.plusSeconds(60)), claims);
    }

    @Test
    void shouldIssueADistinctTokenEachTimeSoOneCanBeRevokedAlone() {
        String first = tokens.issue("acme", "apikey:42", NOW.plusSeconds(60));
        String second = tokens.issue("acme", "apikey:42", NOW.plusSeconds(60));
        assertNotEquals(first, second);
        assertEquals(tokens.verify(first, NOW), tokens.verify(second, NOW));
    }

    @Test
    void shouldRejectAnExpiredTokenSayingItExpired() {
        String token = tokens.issue("acme", "bootstrap", NOW.plusSeconds(60));
        ApiException e = assertThrows(ApiException.class, () -> tokens.verify(token, NOW.plusSeconds(60)));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
    }

    @Test
    void shouldRejectATokenSignedWithAnotherKeyOrTamperedWith() {
        String foreign = new Tokens(Optional.of(OTHER_KEY)).issue("acme", "bootstrap", NOW.plusSeconds(60));
        assertEquals(401, assertThrows(ApiException.class, () -> tokens.verify(foreign, NOW)).status());

        String token = tokens.issue("acme", "apikey:1", NOW.plusSeconds(60));
        String[] parts = token.split("\\.");
        String otherOrg = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("default\napikey:1\n" + NOW.plusSeconds(60).getEpochSecond()).getBytes());
        String tampered = parts[0] + "." + otherOrg + "." + parts[2];
        assertEquals("invalid token", assertThrows(ApiException.class, () -> tokens.verify(tampered, NOW)).getMessage());
        for (String malformed : new String[] {"hft1.forged.token", "hft1.", "garbage", "hft1.a.!!!"}) {
            assertEquals(401, assertThrows(ApiException.class, () -> tokens.verify(malformed, NOW)).status());
        }
    }

    @Test
    void shouldRejectEveryTokenClearlyWithoutAUsableKey() {
        for (Tokens disabled : new Tokens[] {new Tokens(Optional.empty()), new Tokens(Optional.of("c2hvcnQ=")),
                new Tokens(Optional.of("not base64!"))}) {
            assertFalse(disabled.enabled());
            String token = tokens.issue("acme", "bootstrap", NOW.plusSeconds(60));
            ApiException e = assertThrows(ApiException.class, () -> disabled.verify(token, NOW));
            assertEquals(401, e.status());
            assertTrue(e.getMessage().contains("hookflow.auth.token-key"), e.getMessage());
        }
    }
}
