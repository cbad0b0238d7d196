package io.hookflow.ingest.webhook;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Until the rule-changes topic is read, registered urls would answer 404: not ready for traffic. */
@Readiness
@ApplicationScoped
public class RuleWebhooksReadiness implements HealthCheck {

    private final RuleWebhooks ruleWebhooks;

    RuleWebhooksReadiness(RuleWebhooks ruleWebhooks) {
        this.ruleWebhooks = ruleWebhooks;
    }

    @Override
    public HealthCheckResponse call() {
        return ruleWebhooks.readiness("rule-webhooks");
    }
}
