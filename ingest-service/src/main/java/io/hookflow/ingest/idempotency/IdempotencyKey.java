package io.hookflow.ingest.idempotency;

import io.hookflow.common.error.ApiException;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Optional;

/**
 * Which key de-duplicates a request: the sender's {@code Idempotency-Key}, or else a Standard Webhooks
 * {@code webhook-id}. A webhook-id is scoped to the webhook it was sent to, because a sender such as Svix reuses one
 * message id for every endpoint it delivers the message to.
 */
public final class IdempotencyKey {

    public static final String HEADER = "Idempotency-Key";
    public static final String STANDARD_WEBHOOK_ID = "webhook-id";
    static final int MAX_LENGTH = 255;

    private IdempotencyKey() {
    }

    /** The stored key, if the request carries one; {@code scope} names the webhook the request was sent to. */
    public static Optional<String> of(HttpHeaders headers, String scope) {
        String key = headers.getHeaderString(HEADER);
        if (key != null && !key.isBlank()) {
            return Optional.of("key:" + checked(HEADER, key));
        }
        String messageId = headers.getHeaderString(STANDARD_WEBHOOK_ID);
        if (messageId != null && !messageId.isBlank()) {
            return Optional.of("webhook-id:" + scope + ":" + checked(STANDARD_WEBHOOK_ID, messageId));
        }
        return Optional.empty();
    }

    private static String checked(String header, String value) {
        if (value.length() > MAX_LENGTH) {
            throw ApiException.badRequest(header + " must be at most " + MAX_LENGTH + " characters");
        }
        return value.strip();
    }
}
