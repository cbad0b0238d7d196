package io.hookflow.delivery.signing;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of key delivery can sign with, each with its Standard Webhooks signature version. */
public enum SigningAlgorithm {

    /** Asymmetric: receivers verify with the public key, so whoever can verify still cannot sign. */
    ED25519("ed25519", "v1a"),
    /** Symmetric: the receiver holds the same secret ({@code whsec_...}), shown once when the key is created. */
    HMAC_SHA256("hmac-sha256", "v1");

    private final String id;
    private final String version;

    SigningAlgorithm(String id, String version) {
        this.id = id;
        this.version = version;
    }

    /** As written in the API and the database. */
    public String id() {
        return id;
    }

    /** The prefix of this key's entry in {@code webhook-signature}. */
    public String version() {
        return version;
    }

    public static Optional<SigningAlgorithm> of(String id) {
        return Arrays.stream(values()).filter(algorithm -> algorithm.id.equals(id)).findFirst();
    }
}
