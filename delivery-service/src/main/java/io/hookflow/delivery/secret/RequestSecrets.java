package io.hookflow.delivery.secret;

import io.hookflow.common.crypto.SecretCipher;
import io.hookflow.common.event.OutboundRequest;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.LinkedHashMap;
import java.util.Map;

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
     * The request as it is sent: password, secret and datastore secrets in the clear. The placeholders of datastore
     * secrets are replaced in url, header values and body, and {@code sealedValues} then maps each placeholder to its
     * plaintext, so that whoever records the attempt can mask it. Never store the result.
     *
     * @throws IllegalArgumentException naming which value could not be decrypted, and why
     */
    public OutboundRequest opened(OutboundRequest request) {
        boolean sealedValues = request.sealedValues() != null && !request.sealedValues().isEmpty();
        if (!SecretCipher.isEncrypted(request.password()) && !SecretCipher.isEncrypted(request.secret()) && !sealedValues) {
            return request;
        }
        OutboundRequest opened = with(request, open("basic-auth password", request.password()),
                open("signing secret", request.secret()));
        return sealedValues ? withDatastoreSecretsOpened(opened) : opened;
    }

    private OutboundRequest withDatastoreSecretsOpened(OutboundRequest request) {
        Map<String, String> plaintexts = new LinkedHashMap<>();
        request.sealedValues().forEach((placeholder, ciphertext) ->
                plaintexts.put(placeholder, open("datastore secret", ciphertext)));
        Map<String, String> headers = null;
        if (request.headers() != null) {
            headers = new LinkedHashMap<>();
            for (Map.Entry<String, String> header : request.headers().entrySet()) {
                headers.put(header.getKey(), substitute(header.getValue(), plaintexts));
            }
        }
        return new OutboundRequest(request.method(), substitute(request.url(), plaintexts), headers,
                substitute(request.body(), plaintexts), request.username(), request.password(), request.secret(),
                request.timeoutSeconds(), request.connectTimeoutSeconds(), request.retry(), Map.copyOf(plaintexts),
                request.rateLimit());
    }

    private static String substitute(String text, Map<String, String> plaintexts) {
        if (text == null || !text.contains(OutboundRequest.SEALED_PREFIX)) {
            return text;
        }
        String result = text;
        for (Map.Entry<String, String> sealed : plaintexts.entrySet()) {
            result = result.replace(sealed.getKey(), sealed.getValue());
        }
        return result;
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
                password, secret, request.timeoutSeconds(), request.connectTimeoutSeconds(), request.retry(),
                request.sealedValues(), request.rateLimit());
    }
}
