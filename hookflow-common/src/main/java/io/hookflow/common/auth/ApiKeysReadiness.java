package io.hookflow.common.auth;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until every API key published before startup is known: until then, valid keys would get 401s. */
@Readiness
@ApplicationScoped
public class ApiKeysReadiness implements HealthCheck {

    private final ApiKeyRegistry registry;

    ApiKeysReadiness(ApiKeyRegistry registry) {
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        return registry.readiness("api-keys");
    }
}
