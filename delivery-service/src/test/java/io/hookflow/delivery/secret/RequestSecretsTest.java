package io.hookflow.delivery.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hookflow.common.crypto.SecretCipher;
import io.hookflow.common.event.OutboundRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestSecretsTest {

    static final String KEY = "aG9va2Zsb3ctZGV2LW9ubHkta2V5LTMyLWJ5dGVzISE=";

    @Test
    void shouldRefuseToStartWhenNoKeyIsConfigured() {
        RequestSecrets secrets = new RequestSecrets(cipher(Optional.empty()));

        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> secrets.requireKey(null));
        assertTrue(refused.getMessage().contains("HOOKFLOW_SECRETS_KEY"), refused.getMessage());
    }

    @Test
    void shouldSealPlaintextAndOpenItAgainWhenAKeyIsConfigured() {
        RequestSecrets secrets = new RequestSecrets(cipher(Optional.of(KEY)));
        secrets.requireKey(null);
        OutboundRequest plain = new OutboundRequest("POST", "https://x.example/h", Map.of(), "{}", "u", "pw", "sec", null);

        OutboundRequest sealed = secrets.sealed(plain);
        assertTrue(SecretCipher.isEncrypted(sealed.password()) && SecretCipher.isEncrypted(sealed.secret()));
        assertSame(sealed, secrets.sealed(sealed), "ciphertext is left as it is");
        OutboundRequest opened = secrets.opened(sealed);
        assertEquals("pw", opened.password());
        assertEquals("sec", opened.secret());
    }

    @Test
    void shouldLeaveARequestWithoutSecretsUntouched() {
        RequestSecrets secrets = new RequestSecrets(cipher(Optional.of(KEY)));
        OutboundRequest none = new OutboundRequest("POST", "https://x.example/h", Map.of(), "{}", null, null, null, null);

        assertSame(none, secrets.sealed(none));
        assertSame(none, secrets.opened(none));
        assertNull(secrets.opened(none).secret());
    }

    @Test
    void shouldNameTheValueThatCannotBeDecrypted() {
        RequestSecrets secrets = new RequestSecrets(cipher(Optional.of(KEY)));
        OutboundRequest tampered = new OutboundRequest("POST", "https://x.example/h", Map.of(), "{}", "u",
                "enc:v1:00000000:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", null, null);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> secrets.opened(tampered));
        assertTrue(refused.getMessage().startsWith("the basic-auth password could not be decrypted"), refused.getMessage());
    }

    private static SecretCipher cipher(Optional<String> key) {
        return new SecretCipher(key, List.of());
    }
}
