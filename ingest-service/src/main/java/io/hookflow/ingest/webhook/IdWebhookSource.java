package io.hookflow.ingest.webhook;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The webhooks created by id in the caller's organisation, oldest first. */
@ApplicationScoped
@Priority(10)
class IdWebhookSource implements WebhookSource {

    private final WebhookRepository repository;

    IdWebhookSource(WebhookRepository repository) {
        this.repository = repository;
    }

    @Override
    public List<WebhookListing> list(String orgId) {
        return repository.listInOrg(orgId).stream()
                .map(hook -> new WebhookListing("id", "/api/v1/trigger-webhooks/" + hook.id, hook.triggerType(),
                        hook.id.toString(), hook.name, List.of()))
                .toList();
    }
}
