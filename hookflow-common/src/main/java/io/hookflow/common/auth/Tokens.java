package io.hookflow.common.auth;

import io.hookflow.common.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Stateless tokens every service verifies locally: {@code hft1.<payload>.<signature>}, where the payload is
 * base64url("orgId\nprincipal\nexpiry epoch seconds\nnonce") and the signature base64url(HMAC-SHA256(token key,
 * "hft1.<payload>")). The token key ({@code hookflow.auth.token-key}) is shared by all services through one Kubernetes
 * Secret. Without it a service issues no tokens and rejects every token with a 401 that says so.
 */
@ApplicationScoped
public class Tokens {

    public static final String PREFIX = "hft1.";
    static final int MIN_KEY_BYTES = 32;
    private static final Logger LOG = Logger.getLogger(Tokens.class);
    private static final String HMAC = "HmacSHA256";

    /** A verified token's claims. */
    public record Claims(String orgId, String principal, Instant expiry) {
    }

    private static final int NONCE_BYTES = 12;
    private final Optional<SecretKeySpec> key;
    /** Created at run time (never at build time), so a native image does not bake in its seed. */
    private final SecureRandom random;

    @Inject
    Tokens(AuthConfig config) {
        this(config.tokenKey());
    }

    /** For tests and tools: a signer with the given base64 key (empty: tokens disabled). */
    public Tokens(Optional<String> base64Key) {
        this.random = new SecureRandom();
        this.key = base64Key.filter(value -> !value.isBlank()).flatMap(Tokens::parseKey);
    }

    private static Optional<SecretKeySpec> parseKey(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            LOG.error("hookflow.auth.token-key is not valid base64; tokens are rejected until it is fixed");
            return Optional.empty();
        }
        if (bytes.length < MIN_KEY_BYTES) {
            LOG.errorf("hookflow.auth.token-key has %d bytes, fewer than %d; tokens are rejected until it is fixed",
                    bytes.length, MIN_KEY_BYTES);
            return Optional.empty();
        }
        return Optional.of(new SecretKeySpec(bytes, HMAC));
    }

    public boolean enabled() {
        return key.isPresent();
    }

    public String issue(String orgId, String principal, Instant expiry) {
        if (orgId.indexOf('\n') >= 0 || principal.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("organisation and principal cannot contain line breaks");
        }
        SecretKeySpec signingKey = key.orElseThrow(() -> new ApiException(503, "tokens_disabled",
                "this service has no token key (hookflow.auth.token-key) and cannot issue tokens"));
        // A nonce makes every issued token distinct, so revoking one never revokes another issued the same second.
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        String payload = encode((orgId + "\n" + principal + "\n" + expiry.getEpochSecond() + "\n" + encode(nonce))
                .getBytes(StandardCharsets.UTF_8));
        String signed = PREFIX + payload;
        return signed + "." + encode(mac(signingKey, signed));
    }

    /** The token's claims, or a 401 saying why it is not accepted. */
    public Claims verify(String token, Instant now) {
        Claims claims = read(token);
        if (!now.isBefore(claims.expiry())) {
            throw ApiException.unauthorized("the token expired at " + claims.expiry() + "; request a new one");
        }
        return claims;
    }

    /** The claims of a token this key signed, expired or not; a 401 if it is not one. */
    public Claims read(String token) {
        SecretKeySpec verifyingKey = key.orElseThrow(() -> ApiException.unauthorized(
                "tokens are not accepted by this service: it has no token key (hookflow.auth.token-key)"));
        int signatureStart = token.lastIndexOf('.');
        if (!token.startsWith(PREFIX) || signatureStart <= PREFIX.length()) {
            throw ApiException.unauthorized("invalid token");
        }
        String signed = token.substring(0, signatureStart);
        byte[] signature;
        try {
            signature = Base64.getUrlDecoder().decode(token.substring(signatureStart + 1));
        } catch (IllegalArgumentException e) {
            throw ApiException.unauthorized("invalid token");
        }
        if (!MessageDigest.isEqual(mac(verifyingKey, signed), signature)) {
            throw ApiException.unauthorized("invalid token");
        }
        String[] claims;
        try {
            claims = new String(Base64.getUrlDecoder().decode(signed.substring(PREFIX.length())), StandardCharsets.UTF_8)
                    .split("\n", -1);
        } catch (IllegalArgumentException e) {
            throw ApiException.unauthorized("invalid token");
        }
        // Three fields: a token issued before tokens carried a nonce; it stays valid until it expires.
        if (claims.length != 3 && claims.length != 4) {
            throw ApiException.unauthorized("invalid token");
        }
        Instant expiry;
        try {
            expiry = Instant.ofEpochSecond(Long.parseLong(claims[2]));
        } catch (RuntimeException e) {
            throw ApiException.unauthorized("invalid token");
        }
        return new Claims(claims[0], claims[1], expiry);
    }

    private static byte[] mac(SecretKeySpec key, String data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
