package io.hookflow.common.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String OTHER_KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    @Test
    void encryptedSecretDecryptsToThePlaintextAndDoesNotContainIt() {
        SecretCipher cipher = new SecretCipher(Optional.of(KEY), List.of());
        String sealed = cipher.encrypt("hunter2");
        assertTrue(sealed.startsWith(SecretCipher.PREFIX));
        assertFalse(sealed.contains("hunter2"));
        assertEquals("hunter2", cipher.decrypt(sealed));
    }

    @Test
    void sameSecretEncryptsDifferentlyEachTime() {
        SecretCipher cipher = new SecretCipher(Optional.of(KEY), List.of());
        assertNotEquals(cipher.encrypt("s"), cipher.encrypt("s"));
    }

    @Test
    void tamperedCiphertextIsRejected() {
        SecretCipher cipher = new SecretCipher(Optional.of(KEY), List.of());
        String sealed = cipher.encrypt("hunter2");
        char last = sealed.charAt(sealed.length() - 3);
        String tampered = sealed.substring(0, sealed.length() - 3) + (last == 'A' ? 'B' : 'A') + sealed.substring(sealed.length() - 2);
        assertThrows(IllegalArgumentException.class, () -> cipher.decrypt(tampered));
    }

    @Test
    void previousKeyStillDecryptsAfterRotation() {
        String sealed = new SecretCipher(Optional.of(OTHER_KEY), List.of()).encrypt("old");
        SecretCipher rotated = new SecretCipher(Optional.of(KEY), List.of(OTHER_KEY));
        assertEquals("old", rotated.decrypt(sealed));
        assertThrows(IllegalArgumentException.class, () -> new SecretCipher(Optional.of(KEY), List.of()).decrypt(sealed));
    }

    @Test
    void encryptingWithoutAKeyFailsClearly() {
        SecretCipher cipher = new SecretCipher(Optional.empty(), List.of());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cipher.encrypt("x"));
        assertTrue(e.getMessage().contains("HOOKFLOW_SECRETS_KEY"));
    }

    @Test
    void plaintextPassesThroughDecryptAndCiphertextThroughEncrypt() {
        SecretCipher cipher = new SecretCipher(Optional.of(KEY), List.of());
        assertEquals("legacy", cipher.decrypt("legacy"));
        String sealed = cipher.encrypt("x");
        assertEquals(sealed, cipher.encrypt(sealed));
    }

    @Test
    void wrongLengthKeyIsRefusedAtStartup() {
        assertThrows(IllegalStateException.class, () -> new SecretCipher(Optional.of("c2hvcnQ="), List.of()));
    }
}
