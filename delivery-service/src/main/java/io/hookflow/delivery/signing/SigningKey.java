package io.hookflow.delivery.signing;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * A signing key as the API shows it: never its private part.
 *
 * @param algorithm {@code ed25519} or {@code hmac-sha256}
 * @param status    {@code active}, {@code retiring} (still signs until {@code expiresAt}) or {@code retired}
 * @param publicKey {@code whpk_} + base64 of the raw Ed25519 public key; absent for symmetric keys
 * @param expiresAt when the key stops (or stopped) signing; absent while active
 * @param secret    {@code whsec_...} of a symmetric key, in the answer that created it and nowhere else ever again
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SigningKey(String id, String algorithm, String status, String publicKey, Instant createdAt,
                         Instant expiresAt, String secret) {

    public static final String ACTIVE = "active";
    public static final String RETIRING = "retiring";
    public static final String RETIRED = "retired";

    static String status(Instant retireAt, Instant now) {
        if (retireAt == null) {
            return ACTIVE;
        }
        return retireAt.isAfter(now) ? RETIRING : RETIRED;
    }
}
