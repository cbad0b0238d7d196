package io.hookflow.common.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * The keys that sign and verify tokens: the current key ({@code hookflow.auth.token-key}) signs, and it and every
 * previous key ({@code hookflow.auth.previous-token-keys}) verify. Each key's id ({@code kid}) is derived from the key
 * itself, so a rotation changes one setting and never needs ids kept in step across services.
 */
final class TokenKeys {

    static final int MIN_KEY_BYTES = 32;
    static final String HMAC = "HmacSHA256";
    private static final Logger LOG = Logger.getLogger(TokenKeys.class);

    /** kid -> key, the signing key first. */
    private final Map<String, SecretKey> byId;
    private final Optional<String> signingId;

    TokenKeys(Optional<String> current, List<String> previous) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        Optional<SecretKey> signing = current.filter(value -> !value.isBlank())
                .flatMap(value -> parse(value, "hookflow.auth.token-key"));
        signing.ifPresent(key -> keys.put(idOf(key), key));
        if (signing.isPresent()) {
            for (String value : previous) {
                if (!value.isBlank()) {
                    parse(value, "an entry of hookflow.auth.previous-token-keys").ifPresent(key -> keys.putIfAbsent(idOf(key), key));
                }
            }
        }
        this.byId = Map.copyOf(keys);
        this.signingId = signing.map(TokenKeys::idOf);
    }

    boolean enabled() {
        return signingId.isPresent();
    }

    Optional<String> signingId() {
        return signingId;
    }

    Optional<SecretKey> byId(String kid) {
        return Optional.ofNullable(kid == null ? null : byId.get(kid));
    }

    /** Every key, for tokens issued before tokens carried a kid. */
    Iterable<SecretKey> all() {
        return byId.values();
    }

    /** The first 16 characters of base64url(SHA-256("hookflow-token-key:" + key)): names the key, reveals nothing. */
    static String idOf(SecretKey key) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update("hookflow-token-key:".getBytes(StandardCharsets.UTF_8));
            byte[] digest = sha256.digest(key.getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private static Optional<SecretKey> parse(String base64, String setting) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            LOG.errorf("%s is not valid base64; tokens signed with it are rejected until it is fixed", setting);
            return Optional.empty();
        }
        if (bytes.length < MIN_KEY_BYTES) {
            LOG.errorf("%s has %d bytes, fewer than %d; tokens signed with it are rejected until it is fixed",
                    setting, bytes.length, MIN_KEY_BYTES);
            return Optional.empty();
        }
        return Optional.of(new SecretKeySpec(bytes, HMAC));
    }
}
