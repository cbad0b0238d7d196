package io.hookflow.common.auth;

import io.hookflow.common.error.ApiException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * Verifies the tokens Hookflow issued before it issued JWTs: {@code hft1.<payload>.<signature>}, the payload
 * base64url("orgId\nprincipal\nexpiry epoch seconds[\nnonce]"), the signature HMAC-SHA256 of "hft1.<payload>". No
 * new ones are issued; those in circulation keep working until they expire (at most hookflow.auth.token-ttl after the
 * upgrade), after which this class can go. Such a token is revoked under its digest, as it always was.
 */
final class LegacyTokens {

    static final String PREFIX = "hft1.";

    private LegacyTokens() {
    }

    static boolean isLegacy(String token) {
        return token.startsWith(PREFIX);
    }

    /** The claims of a token one of these keys signed, expired or not; a 401 if it is not one. */
    static Tokens.Claims read(String token, Iterable<SecretKey> keys) {
        int signatureStart = token.lastIndexOf('.');
        if (signatureStart <= PREFIX.length()) {
            throw ApiException.unauthorized("invalid token");
        }
        String signed = token.substring(0, signatureStart);
        byte[] signature;
        try {
            signature = Base64.getUrlDecoder().decode(token.substring(signatureStart + 1));
        } catch (IllegalArgumentException e) {
            throw ApiException.unauthorized("invalid token");
        }
        boolean verified = false;
        for (SecretKey key : keys) {
            verified |= MessageDigest.isEqual(mac(key, signed), signature);
        }
        if (!verified) {
            throw ApiException.unauthorized("invalid token");
        }
        String[] claims;
        try {
            claims = new String(Base64.getUrlDecoder().decode(signed.substring(PREFIX.length())), StandardCharsets.UTF_8)
                    .split("\n", -1);
        } catch (IllegalArgumentException e) {
            throw ApiException.unauthorized("invalid token");
        }
        if (claims.length != 3 && claims.length != 4) {
            throw ApiException.unauthorized("invalid token");
        }
        Instant expiry;
        try {
            expiry = Instant.ofEpochSecond(Long.parseLong(claims[2]));
        } catch (RuntimeException e) {
            throw ApiException.unauthorized("invalid token");
        }
        return new Tokens.Claims(claims[0], claims[1], expiry, TokenRevocations.digest(token));
    }

    private static byte[] mac(SecretKey key, String data) {
        try {
            Mac mac = Mac.getInstance(TokenKeys.HMAC);
            mac.init(key);
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
