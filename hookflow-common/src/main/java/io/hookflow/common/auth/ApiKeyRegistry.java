package io.hookflow.common.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.event.Topics;
import io.hookflow.common.kafka.CompactedTopicView;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The API keys every service accepts besides the bootstrap key: read from the compacted topic {@code api-keys} (every
 * replica reads all of it, from the beginning, and follows it), kept in memory as digests. A key sent by a caller is
 * looked up by its SHA-256 digest, so neither the lookup nor the final constant-time comparison reveals anything about
 * the key itself. Starts with the service, with no configuration beyond {@code kafka.bootstrap.servers}.
 */
@Singleton
public class ApiKeyRegistry extends CompactedTopicView {

    /** A key the registry knows. */
    public record Entry(String id, String orgId, byte[] digest, boolean enabled, long revision) {
    }

    private final ObjectMapper mapper;
    private final Map<String, Entry> byId = new ConcurrentHashMap<>();
    private final Map<String, Entry> byDigest = new ConcurrentHashMap<>();
    /** Deleted key ids: a late, older record of a deleted key must not bring it back. Ids are never reused. */
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();

    ApiKeyRegistry(ObjectMapper mapper, @ConfigProperty(name = "kafka.bootstrap.servers") Optional<String> bootstrapServers) {
        super(Topics.API_KEYS, bootstrapServers, "only the bootstrap API key is accepted");
        this.mapper = mapper;
    }

    /** The enabled key whose digest matches the key a caller sent. */
    public Optional<Entry> findEnabled(String presentedKey) {
        byte[] digest = sha256(presentedKey);
        Entry entry = byDigest.get(encode(digest));
        if (entry == null || !entry.enabled() || !MessageDigest.isEqual(entry.digest(), digest)) {
            return Optional.empty();
        }
        return Optional.of(entry);
    }

    /** The key's current state, by id. */
    public Optional<Entry> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Every key known now (deleted ones excluded), for ingest-service to compare with what it stored. */
    public List<Entry> entries() {
        return List.copyOf(byId.values());
    }

    /** Whether the topic holds a tombstone for this key: no later record brings it back. */
    public boolean wasDeleted(String id) {
        return deleted.contains(id);
    }

    /**
     * Applies one record of the topic: its JSON, or null for a tombstone. Also called by ingest-service right after the
     * broker acknowledged a change, so the replica that made the change knows it before the topic echoes it back.
     */
    @Override
    public void apply(String id, String json) {
        if (id == null) {
            return;
        }
        if (json == null) {
            deleted.add(id);
            Entry removed = byId.remove(id);
            if (removed != null) {
                byDigest.remove(encode(removed.digest()), removed);
            }
            return;
        }
        ApiKeyChange change;
        try {
            change = mapper.readValue(json, ApiKeyChange.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("unreadable api-keys record for " + id + ": " + e.getOriginalMessage(), e);
        }
        apply(change);
    }

    public synchronized void apply(ApiKeyChange change) {
        if (deleted.contains(change.id())) {
            return;
        }
        Entry current = byId.get(change.id());
        if (current != null && current.revision() > change.revision()) {
            return;
        }
        Entry entry = new Entry(change.id(), change.orgId(), decode(change.digest()), change.enabled(), change.revision());
        byId.put(entry.id(), entry);
        if (current != null) {
            byDigest.remove(encode(current.digest()), current);
        }
        byDigest.put(change.digest(), entry);
    }

    /** SHA-256 of a key, base64url without padding: the only form in which keys are stored or published. */
    public static String digest(String key) {
        return encode(sha256(key));
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private static String encode(byte[] digest) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    private static byte[] decode(String digest) {
        return Base64.getUrlDecoder().decode(digest);
    }
}
