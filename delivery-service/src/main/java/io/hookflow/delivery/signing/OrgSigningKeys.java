package io.hookflow.delivery.signing;

import io.hookflow.common.crypto.SecretCipher;
import io.hookflow.delivery.config.DeliveryConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The keys each organisation signs with, opened (unsealed) in memory and kept for a short while
 * ({@code hookflow.delivery.signing.key-cache-time}), so that an attempt does not read and decrypt them again. Which
 * keys still sign is decided at each attempt from their retirement time, so a retiring key stops on time regardless.
 */
@ApplicationScoped
public class OrgSigningKeys {

    private final SigningKeyRepository repository;
    private final SecretCipher cipher;
    private final long cacheNanos;
    private final Map<String, Loaded> byOrg = new ConcurrentHashMap<>();

    OrgSigningKeys(SigningKeyRepository repository, SecretCipher cipher, DeliveryConfig config) {
        this.repository = repository;
        this.cipher = cipher;
        this.cacheNanos = config.signing().keyCacheTime().toNanos();
    }

    /** The organisation's keys that sign at {@code now}: active and retiring ones, newest first. */
    public List<OpenedKey> signing(String orgId, Instant now) {
        return loaded(orgId).keys().stream().filter(key -> key.signsAt(now)).toList();
    }

    /** Whether the organisation has this key and it no longer signs at {@code now}. */
    boolean isRetired(String orgId, String id, Instant now) {
        Loaded loaded = loaded(orgId);
        return loaded.retired().contains(id)
                || loaded.keys().stream().anyMatch(key -> key.id().equals(id) && !key.signsAt(now));
    }

    private Loaded loaded(String orgId) {
        Loaded loaded = byOrg.get(orgId);
        if (loaded == null || System.nanoTime() - loaded.at() > cacheNanos) {
            long at = System.nanoTime();
            Instant now = Instant.now();
            List<SigningKeyRepository.StoredKey> stored = QuarkusTransaction.joiningExisting().call(() ->
                    repository.listForOrg(orgId));
            // Retired keys are never opened: their private part stays sealed in the table.
            loaded = new Loaded(
                    stored.stream().filter(key -> key.retireAt() == null || key.retireAt().isAfter(now))
                            .map(this::open).toList(),
                    stored.stream().filter(key -> key.retireAt() != null && !key.retireAt().isAfter(now))
                            .map(SigningKeyRepository.StoredKey::id).collect(Collectors.toUnmodifiableSet()),
                    at);
            byOrg.put(orgId, loaded);
        }
        return loaded;
    }

    /** After a change on this replica: the next attempt reads the organisation's keys again. */
    void forget(String orgId) {
        byOrg.remove(orgId);
    }

    private OpenedKey open(SigningKeyRepository.StoredKey stored) {
        byte[] secret = Base64.getDecoder().decode(cipher.decrypt(stored.sealedPrivateKey()));
        PrivateKey ed25519 = stored.algorithm() == SigningAlgorithm.ED25519 ? Ed25519Keys.privateKey(secret) : null;
        return new OpenedKey(stored.id(), stored.algorithm(), stored.retireAt(), ed25519,
                stored.algorithm() == SigningAlgorithm.HMAC_SHA256 ? secret : null);
    }

    private record Loaded(List<OpenedKey> keys, Set<String> retired, long at) {
    }

    /** A key ready to sign; lives only in memory. */
    public record OpenedKey(String id, SigningAlgorithm algorithm, Instant retireAt, PrivateKey ed25519,
                            byte[] hmacKey) {

        boolean signsAt(Instant now) {
            return retireAt == null || retireAt.isAfter(now);
        }

        /** The key's entry in {@code webhook-signature}: {@code v1a,<base64>} or {@code v1,<base64>}. */
        String signature(byte[] signedContent) {
            byte[] signature = algorithm == SigningAlgorithm.ED25519 ? Ed25519Keys.sign(ed25519, signedContent)
                    : RequestSigner.hmac(hmacKey, signedContent);
            return algorithm.version() + "," + Base64.getEncoder().encodeToString(signature);
        }

        @Override
        public String toString() {
            // Never the key material, whoever logs this.
            return "OpenedKey[" + id + ", " + algorithm.id() + "]";
        }
    }
}
