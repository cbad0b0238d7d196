package io.hookflow.delivery.signing;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;

/**
 * Ed25519 with the JDK's own EdDSA (Java 15+, also in native images): no third-party provider at run time. Keys are
 * made here only when an organisation asks for one, never at build time.
 */
final class Ed25519Keys {

    /** The X.509 (SubjectPublicKeyInfo) encoding of an Ed25519 key is this fixed header and the 32 raw key bytes. */
    private static final int X509_HEADER = 12;
    static final int KEY_LENGTH = 32;

    private Ed25519Keys() {
    }

    /** A new key pair: the 32-byte private seed and the 32-byte raw public key (RFC 8032). */
    static Generated generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] encoded = pair.getPublic().getEncoded();
            byte[] publicKey = Arrays.copyOfRange(encoded, encoded.length - KEY_LENGTH, encoded.length);
            if (encoded.length != X509_HEADER + KEY_LENGTH) {
                throw new IllegalStateException("unexpected Ed25519 public key encoding");
            }
            byte[] seed = ((EdECPrivateKey) pair.getPrivate()).getBytes()
                    .orElseThrow(() -> new IllegalStateException("the Ed25519 private key has no seed"));
            return new Generated(seed, publicKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every JDK since 15", e);
        }
    }

    /** The private key of a stored seed. */
    static PrivateKey privateKey(byte[] seed) {
        try {
            return KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the stored Ed25519 key cannot be read", e);
        }
    }

    static byte[] sign(PrivateKey key, byte[] data) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    record Generated(byte[] seed, byte[] publicKey) {
    }
}
