package io.hookflow.ingest.webhook;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The generic st2 webhook: always there, listed first. */
@ApplicationScoped
@Priority(100)
class St2WebhookSource implements WebhookSource {

    @Override
    public List<WebhookListing> list(String orgId) {
        return List.of(new WebhookListing("st2", "/api/v1/webhooks/st2", null, null, "st2", List.of()));
    }
}
