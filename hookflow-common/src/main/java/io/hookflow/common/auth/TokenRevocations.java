package io.hookflow.common.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.event.Topics;
import io.hookflow.common.kafka.CompactedTopicView;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The tokens revoked before they expired, as every service learns them from the compacted {@code token-revocations}
 * topic: a revoked token is refused everywhere, although tokens are otherwise verified without asking anyone. Only
 * jtis and digests are held, each until its token would have expired anyway.
 */
@Singleton
public class TokenRevocations extends CompactedTopicView {

    private final ObjectMapper mapper;
    /** Revocation key of a revoked token (jti, or a pre-JWT token's digest) -> its expiry (epoch seconds). */
    private final Map<String, Long> revoked = new ConcurrentHashMap<>();

    TokenRevocations(ObjectMapper mapper,
                     @ConfigProperty(name = "kafka.bootstrap.servers") Optional<String> bootstrapServers) {
        super(Topics.TOKEN_REVOCATIONS, bootstrapServers, "revoked tokens are not known");
        this.mapper = mapper;
    }

    public boolean isRevoked(Tokens.Claims token, Instant now) {
        String key = token.revocationKey();
        Long expiry = revoked.get(key);
        if (expiry != null && expiry <= now.getEpochSecond()) {
            revoked.remove(key); // expired anyway: verification refuses it without us
            return false;
        }
        return expiry != null;
    }

    /**
     * The key a pre-JWT token's revocation is published under: its SHA-256, so the topic never holds a usable token.
     * A JWT's revocation is published under its {@code jti} ({@link Tokens.Claims#revocationKey()}).
     */
    public static String digest(String token) {
        return ApiKeyRegistry.digest(token);
    }

    /**
     * Applies one record of the topic (null is a tombstone). Also called by ingest-service right after the broker
     * acknowledged a revocation, so the replica that made it refuses the token at once.
     */
    @Override
    public void apply(String key, String json) {
        if (key == null) {
            return;
        }
        if (json == null) {
            revoked.remove(key);
            return;
        }
        try {
            TokenRevocation revocation = mapper.readValue(json, TokenRevocation.class);
            if (revocation.expiresAt() > Instant.now().getEpochSecond()) {
                revoked.put(key, revocation.expiresAt());
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable token-revocations record " + key, e);
        }
    }
}
