package io.hookflow.rules.rule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookflow.common.crypto.SecretCipher;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Basic-auth passwords and signing secrets of {@code core.http} actions: stored as ciphertext, shown as a mask, carried
 * in tasks as ciphertext (delivery-service decrypts them just before sending).
 */
@ApplicationScoped
public class RuleSecrets {

    /** The action parameters that hold secrets. */
    public static final List<String> FIELDS = List.of("password", "secret");

    private final SecretCipher cipher;

    RuleSecrets(SecretCipher cipher) {
        this.cipher = cipher;
    }

    /** Fails start-up without a key: a rules-service that cannot encrypt must not accept secrets. */
    public void requireKey() {
        if (!cipher.hasKey()) {
            throw new IllegalStateException("hookflow.secrets.key is not set: give HOOKFLOW_SECRETS_KEY (base64 of 32 random "
                    + "bytes, from a Kubernetes Secret) so that stored passwords and signing secrets can be encrypted");
        }
    }

    /** Encrypts every plaintext secret in place; answers whether anything changed (ciphertext is left alone). */
    public boolean encryptIn(JsonNode parameters) {
        if (!(parameters instanceof ObjectNode object)) {
            return false;
        }
        boolean changed = false;
        for (String field : FIELDS) {
            JsonNode value = object.get(field);
            if (value != null && value.isTextual() && !SecretCipher.isEncrypted(value.textValue())
                    && !value.textValue().isEmpty()) {
                object.put(field, cipher.encrypt(value.textValue()));
                changed = true;
            }
        }
        return changed;
    }

    /** The plaintext of a stored secret (for rendering a templated password). */
    public String decrypt(String value) {
        return cipher.decrypt(value);
    }

    public String encrypt(String value) {
        return cipher.encrypt(value);
    }
}
