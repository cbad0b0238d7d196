package io.hookflow.common.auth;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until every token revoked before startup is known: until then, a revoked token would still work here. */
@Readiness
@ApplicationScoped
public class TokenRevocationsReadiness implements HealthCheck {

    private final TokenRevocations revocations;

    TokenRevocationsReadiness(TokenRevocations revocations) {
        this.revocations = revocations;
    }

    @Override
    public HealthCheckResponse call() {
        return revocations.readiness("token-revocations");
    }
}
