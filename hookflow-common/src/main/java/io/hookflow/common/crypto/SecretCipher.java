package io.hookflow.common.crypto;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts stored secrets (basic-auth passwords, signing secrets) with AES-256-GCM so that neither a database dump nor
 * a Kafka topic reveals them. Ciphertext reads {@code enc:v1:<key id>:<base64(nonce || ciphertext+tag)>}; the key id
 * (first bytes of the key's SHA-256) picks the key on decryption, so keys can be rotated.
 */
@Singleton
public class SecretCipher {

    public static final String PREFIX = "enc:v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final Map<String, SecretKeySpec> keysById = new LinkedHashMap<>();
    private final String currentKeyId;
    // Created per instance at run time: a SecureRandom seeded during a native-image build would repeat its nonces.
    private final SecureRandom random = new SecureRandom();

    @Inject
    SecretCipher(SecretsConfig config) {
        this(config.key(), config.previousKeys().orElse(java.util.List.of()));
    }

    public SecretCipher(Optional<String> key, java.util.List<String> previousKeys) {
        this.currentKeyId = key.filter(k -> !k.isBlank()).map(this::addKey).orElse(null);
        previousKeys.stream().filter(k -> !k.isBlank()).forEach(this::addKey);
    }

    private String addKey(String base64) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("hookflow.secrets key is not valid base64", e);
        }
        if (raw.length != 32) {
            throw new IllegalStateException("hookflow.secrets key must be 32 bytes (base64 of `openssl rand -base64 32`), got " + raw.length);
        }
        String id = keyId(raw);
        keysById.putIfAbsent(id, new SecretKeySpec(raw, "AES"));
        return id;
    }

    /** Whether a key is configured; services that store or send secrets check this at startup. */
    public boolean hasKey() {
        return currentKeyId != null;
    }

    public static boolean isEncrypted(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /** Encrypts a plaintext; null stays null and an already encrypted value is returned unchanged. */
    public String encrypt(String plaintext) {
        if (plaintext == null || isEncrypted(plaintext)) {
            return plaintext;
        }
        if (currentKeyId == null) {
            throw new IllegalStateException("no encryption key configured: set HOOKFLOW_SECRETS_KEY (hookflow.secrets.key)");
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keysById.get(currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
            return PREFIX + currentKeyId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is part of every JRE", e);
        }
    }

    /**
     * Decrypts a value written by {@link #encrypt}; a value without the prefix is returned as is (tasks written before
     * encryption was switched on).
     *
     * @throws IllegalArgumentException when the value was encrypted with an unknown key or was tampered with
     */
    public String decrypt(String value) {
        if (!isEncrypted(value)) {
            return value;
        }
        String rest = value.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("malformed encrypted secret");
        }
        SecretKeySpec key = keysById.get(rest.substring(0, colon));
        if (key == null) {
            throw new IllegalArgumentException("secret was encrypted with key " + rest.substring(0, colon) + ", which is not configured");
        }
        try {
            byte[] in = Base64.getDecoder().decode(rest.substring(colon + 1));
            if (in.length <= NONCE_BYTES) {
                throw new IllegalArgumentException("malformed encrypted secret");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalArgumentException("encrypted secret failed its integrity check", e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed encrypted secret", e);
        }
    }

    private static String keyId(byte[] raw) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
