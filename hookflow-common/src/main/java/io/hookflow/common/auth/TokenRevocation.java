package io.hookflow.common.auth;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A revoked token, as published to {@code token-revocations}: keyed by the token's {@code jti} (a pre-JWT token by
 * its digest; never the token itself), with the token's own expiry, after which a revocation no longer needs
 * remembering.
 *
 * @param expiresAt epoch seconds
 */
@RegisterForReflection
public record TokenRevocation(int version, long expiresAt) {

    public static final int VERSION = 1;
}
