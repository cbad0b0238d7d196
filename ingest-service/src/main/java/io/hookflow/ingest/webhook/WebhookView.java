package io.hookflow.ingest.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * A webhook by id as the API shows it; the secret is write-only and only ever shown masked. Registered for reflection
 * because it also travels inside a {@code Response}, where the native build cannot see its type.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookView(String id, String orgId, String name, String description, String secret, String trigger,
                          String url, Instant createdOn, Instant updatedOn, String createdById, String updatedById) {

    static final String MASK = "********";

    static WebhookView of(Webhook webhook) {
        return new WebhookView(webhook.id.toString(), webhook.orgId, webhook.name, webhook.description,
                webhook.secret == null ? null : MASK, webhook.triggerType(),
                "/api/v1/trigger-webhooks/" + webhook.id, webhook.audit.createdOn, webhook.audit.updatedOn,
                webhook.audit.createdById, webhook.audit.updatedById);
    }
}
