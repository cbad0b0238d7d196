package io.hookflow.delivery.signing;

import io.hookflow.common.crypto.SecretCipher;
import io.hookflow.common.error.ApiException;
import io.hookflow.delivery.config.DeliveryConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * An organisation's signing keys: create, list, retire and rotate. Rotation is "new key active at once, the old one
 * keeps signing beside it for the overlap, then retired": receivers that still know only the old key keep verifying
 * during the overlap, and those that fetched the new public key verify with it.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    static final String ID_PREFIX = "sk_";
    /** The longest overlap a retirement may ask for. */
    static final Duration MAX_OVERLAP = Duration.ofDays(30);
    /** Bytes of a symmetric key: as the Standard Webhooks libraries generate them. */
    private static final int HMAC_KEY_BYTES = 32;

    private final SigningKeyRepository repository;
    private final OrgSigningKeys opened;
    private final SecretCipher cipher;
    private final Duration defaultOverlap;
    private final SecureRandom random = new SecureRandom();

    SigningKeys(SigningKeyRepository repository, OrgSigningKeys opened, SecretCipher cipher, DeliveryConfig config) {
        this.repository = repository;
        this.opened = opened;
        this.cipher = cipher;
        this.defaultOverlap = config.signing().rotationOverlap();
    }

    /** A new key, active at once. The answer of a symmetric key carries its secret: the only time it is shown. */
    public SigningKey create(String orgId, SigningAlgorithm algorithm) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String id = ID_PREFIX + HexFormat.of().formatHex(randomBytes(10));
        String publicKey = null;
        byte[] secret;
        if (algorithm == SigningAlgorithm.ED25519) {
            Ed25519Keys.Generated pair = Ed25519Keys.generate();
            secret = pair.seed();
            publicKey = Base64.getEncoder().encodeToString(pair.publicKey());
        } else {
            secret = randomBytes(HMAC_KEY_BYTES);
        }
        String encoded = Base64.getEncoder().encodeToString(secret);
        SigningKeyRepository.StoredKey stored = new SigningKeyRepository.StoredKey(id, algorithm, publicKey,
                cipher.encrypt(encoded), now, null);
        QuarkusTransaction.requiringNew().run(() -> repository.insert(orgId, stored));
        opened.forget(orgId);
        LOG.infof("Signing key %s (%s) created for organisation %s", id, algorithm.id(), orgId);
        SigningKey view = view(stored, now);
        return algorithm == SigningAlgorithm.HMAC_SHA256
                ? new SigningKey(view.id(), view.algorithm(), view.status(), null, view.createdAt(), null,
                        RequestSigner.STANDARD_SECRET_PREFIX + encoded)
                : view;
    }

    public List<SigningKey> list(String orgId) {
        Instant now = Instant.now();
        return QuarkusTransaction.requiringNew().call(() -> repository.listForOrg(orgId)).stream()
                .map(key -> view(key, now)).toList();
    }

    /**
     * The key stops signing after {@code overlap} (the configured default when null); asking again can only bring
     * that time closer.
     *
     * @throws ApiException 404 for a key the organisation does not have, 409 for a key already retired
     */
    public SigningKey retire(String orgId, String id, Duration overlap) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant retireAt = now.plus(overlap == null ? defaultOverlap : overlap);
        SigningKeyRepository.StoredKey key = QuarkusTransaction.requiringNew().call(() -> {
            if (!repository.retire(orgId, id, retireAt, now)) {
                SigningKeyRepository.StoredKey existing = repository.find(orgId, id)
                        .orElseThrow(() -> ApiException.notFound("no signing key " + id));
                throw ApiException.conflict("the signing key " + id + " was retired at " + existing.retireAt());
            }
            return repository.find(orgId, id).orElseThrow();
        });
        opened.forget(orgId);
        LOG.infof("Signing key %s of organisation %s signs until %s", id, orgId, key.retireAt());
        return view(key, now);
    }

    /** A new key of the same algorithm, active at once; the old one retires after the overlap. */
    public SigningKey rotate(String orgId, String id, Duration overlap) {
        SigningKeyRepository.StoredKey old = QuarkusTransaction.requiringNew().call(() -> repository.find(orgId, id))
                .orElseThrow(() -> ApiException.notFound("no signing key " + id));
        retire(orgId, id, overlap);
        return create(orgId, old.algorithm());
    }

    /** The organisation's Ed25519 keys that still sign: what receivers may need to verify with. */
    public List<SigningKey> publicKeys(String orgId) {
        return list(orgId).stream()
                .filter(key -> key.publicKey() != null && !SigningKey.RETIRED.equals(key.status())).toList();
    }

    private static SigningKey view(SigningKeyRepository.StoredKey key, Instant now) {
        return new SigningKey(key.id(), key.algorithm().id(), SigningKey.status(key.retireAt(), now),
                key.publicKey() == null ? null : PUBLIC_KEY_PREFIX + key.publicKey(), key.createdAt(), key.retireAt(),
                null);
    }

    /** Standard Webhooks' prefix of an Ed25519 public key: {@code whpk_} + base64 of its 32 raw bytes. */
    public static final String PUBLIC_KEY_PREFIX = "whpk_";

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
