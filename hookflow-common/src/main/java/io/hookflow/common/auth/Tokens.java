package io.hookflow.common.auth;

import io.hookflow.common.error.ApiException;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Tokens every service verifies locally: standard JWTs (HS256), with {@code kid} naming the signing key,
 * {@code iss}, {@code aud}, {@code sub} (the principal), {@code org} (the organisation), {@code iat}, {@code exp}
 * and {@code jti}, the id a revocation names. Clients treat them as opaque strings, as StackStorm's clients do.
 *
 * <p>Why not the quarkus-smallrye-jwt authentication mechanism: it reads {@code Authorization: Bearer}, which webhook
 * senders use for their own purposes on ingest's endpoints, and it has no query-parameter form, while StackStorm
 * clients send {@code X-Auth-Token} or {@code ?x-auth-token=}. One filter ({@link ApiKeyAuthFilter}) already
 * authenticates every credential form; it verifies with jose4j, which SmallRye JWT's builder is built on.
 *
 * <p>Keys: the current key signs; it and the previous keys verify ({@link TokenKeys}). Without a usable current key a
 * service issues no tokens and rejects every token with a 401 that says so.
 */
@ApplicationScoped
public class Tokens {

    /** A verified token's claims, and the key its revocation is published under. */
    public record Claims(String orgId, String principal, Instant expiry, String revocationKey) {
    }

    private static final String ORG_CLAIM = "org";
    private static final int JTI_BYTES = 16;
    private final TokenKeys keys;
    private final String issuer;
    private final String audience;
    /** Created at run time (never at build time), so a native image does not bake in its seed. */
    private final SecureRandom random = new SecureRandom();

    @Inject
    Tokens(AuthConfig config) {
        this(config.tokenKey(), config.previousTokenKeys().orElse(List.of()), config.tokenIssuer(),
                config.tokenAudience());
    }

    /** For tests and tools: a signer with the given base64 key (empty: tokens disabled) and no previous keys. */
    public Tokens(Optional<String> base64Key) {
        this(base64Key, List.of(), "hookflow", "hookflow");
    }

    public Tokens(Optional<String> base64Key, List<String> previousKeys, String issuer, String audience) {
        this.keys = new TokenKeys(base64Key, previousKeys);
        this.issuer = issuer;
        this.audience = audience;
    }

    public boolean enabled() {
        return keys.enabled();
    }

    public String issue(String orgId, String principal, Instant expiry) {
        String kid = keys.signingId().orElseThrow(() -> new ApiException(503, "tokens_disabled",
                "this service has no token key (hookflow.auth.token-key) and cannot issue tokens"));
        // A random jti makes every token distinct, so revoking one never revokes another issued the same second.
        byte[] jti = new byte[JTI_BYTES];
        random.nextBytes(jti);
        return Jwt.issuer(issuer)
                .audience(audience)
                .subject(principal)
                .claim(ORG_CLAIM, orgId)
                .issuedAt(Instant.now())
                .expiresAt(expiry)
                .claim("jti", Base64.getUrlEncoder().withoutPadding().encodeToString(jti))
                .jws().keyId(kid).algorithm(SignatureAlgorithm.HS256)
                .sign(keys.byId(kid).orElseThrow());
    }

    /** The token's claims, or a 401 saying why it is not accepted. */
    public Claims verify(String token, Instant now) {
        Claims claims = read(token);
        if (!now.isBefore(claims.expiry())) {
            throw ApiException.unauthorized("the token expired at " + claims.expiry() + "; request a new one");
        }
        return claims;
    }

    /** The claims of a token one of our keys signed for our audience, expired or not; a 401 if it is not one. */
    public Claims read(String token) {
        if (!keys.enabled()) {
            throw ApiException.unauthorized(
                    "tokens are not accepted by this service: it has no token key (hookflow.auth.token-key)");
        }
        if (LegacyTokens.isLegacy(token)) {
            return LegacyTokens.read(token, keys.all());
        }
        JwtClaims claims;
        try {
            claims = consumer().processToClaims(token);
        } catch (InvalidJwtException e) {
            claims = expiredButOtherwiseValid(e).orElseThrow(() -> ApiException.unauthorized(reason(e)));
        }
        try {
            String orgId = claims.getStringClaimValue(ORG_CLAIM);
            if (orgId == null) {
                throw ApiException.unauthorized("invalid token: it names no organisation");
            }
            return new Claims(orgId, claims.getSubject(), Instant.ofEpochSecond(claims.getExpirationTime().getValue()),
                    "jti:" + claims.getJwtId());
        } catch (MalformedClaimException e) {
            throw ApiException.unauthorized("invalid token: " + e.getMessage());
        }
    }

    /** Expiry is judged by the caller against its own clock; every other check, the signature first, must pass. */
    private JwtConsumer consumer() {
        return new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireJwtId()
                .setRequireSubject()
                .setExpectedIssuer(issuer)
                .setExpectedAudience(audience)
                .setEvaluationTime(NumericDate.now())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.HMAC_SHA256)
                .setVerificationKeyResolver((jws, nesting) -> keys.byId(jws.getKeyIdHeaderValue())
                        .orElseThrow(() -> new UnresolvableKeyException("the token was signed with a key this service "
                                + "does not have (kid " + jws.getKeyIdHeaderValue() + "); it was retired, or the "
                                + "services do not share hookflow.auth.token-key")))
                .build();
    }

    private static Optional<JwtClaims> expiredButOtherwiseValid(InvalidJwtException e) {
        boolean onlyExpired = e.getErrorDetails().stream().allMatch(detail -> detail.getErrorCode() == ErrorCodes.EXPIRED);
        return onlyExpired && e.getJwtContext() != null ? Optional.of(e.getJwtContext().getJwtClaims()) : Optional.empty();
    }

    private static String reason(InvalidJwtException e) {
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID)) {
            return "invalid token: issued for another audience";
        }
        if (e.hasErrorCode(ErrorCodes.ISSUER_INVALID)) {
            return "invalid token: issued by another issuer";
        }
        Throwable cause = e.getCause();
        while (cause != null) {
            if (cause instanceof UnresolvableKeyException) {
                return "invalid token: " + cause.getMessage();
            }
            cause = cause.getCause();
        }
        return "invalid token";
    }
}
