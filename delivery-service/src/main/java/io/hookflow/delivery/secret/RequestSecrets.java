package io.hookflow.delivery.secret;

import io.hookflow.common.crypto.SecretCipher;
import io.hookflow.common.event.OutboundRequest;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

/**
 * The request's basic-auth password and signing secret: sealed (AES-GCM, {@code enc:v1:}) whenever they are stored,
 * opened only in memory just before an attempt is signed and sent.
 */
@ApplicationScoped
public class RequestSecrets {

    private final SecretCipher cipher;

    RequestSecrets(SecretCipher cipher) {
        this.cipher = cipher;
    }

    /** Without a key, delivery could neither store plaintext secrets safely nor open the ones rules-service sends. */
    void requireKey(@Observes @Priority(Interceptor.Priority.APPLICATION) StartupEvent startup) {
        if (!cipher.hasKey()) {
            throw new IllegalStateException("delivery-service needs an encryption key for secrets: set HOOKFLOW_SECRETS_KEY"
                    + " (hookflow.secrets.key) to the base64 of 32 random bytes, the same key rules-service uses"
                    + " (in Kubernetes, from the hookflow-secrets Secret); generate one with `openssl rand -base64 32`");
        }
    }

    /** The request as it may be stored: password and secret encrypted (ciphertext passes through unchanged). */
    public OutboundRequest sealed(OutboundRequest request) {
        if (!needsSealing(request.password()) && !needsSealing(request.secret())) {
            return request;
        }
        return with(request, cipher.encrypt(request.password()), cipher.encrypt(request.secret()));
    }

    /**
     * The request as it is sent: password and secret in the clear. Never store the result.
     *
     * @throws IllegalArgumentException naming which value could not be decrypted, and why
     */
    public OutboundRequest opened(OutboundRequest request) {
        if (!SecretCipher.isEncrypted(request.password()) && !SecretCipher.isEncrypted(request.secret())) {
            return request;
        }
        return with(request, open("basic-auth password", request.password()), open("signing secret", request.secret()));
    }

    /** The request without its password and secret, for recording an attempt that could not use them. */
    public static OutboundRequest withoutSecrets(OutboundRequest request) {
        return with(request, null, null);
    }

    private String open(String what, String value) {
        try {
            return cipher.decrypt(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + what + " could not be decrypted (" + e.getMessage()
                    + "); was it encrypted with a key this service does not have?", e);
        }
    }

    private static boolean needsSealing(String value) {
        return value != null && !value.isEmpty() && !SecretCipher.isEncrypted(value);
    }

    private static OutboundRequest with(OutboundRequest request, String password, String secret) {
        return new OutboundRequest(request.method(), request.url(), request.headers(), request.body(), request.username(),
                password, secret, request.timeoutSeconds(), request.connectTimeoutSeconds(), request.retry());
    }
}
