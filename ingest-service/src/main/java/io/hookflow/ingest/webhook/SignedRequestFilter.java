package io.hookflow.ingest.webhook;

import io.hookflow.common.auth.ApiKeyAuthFilter;
import io.hookflow.ingest.signature.SignatureVerifier;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * Lives beside the resource it opens up, so that signature checking (signature/) needs to know nothing of webhooks.
 * Runs before the API-key check: a signed request to a webhook by id may come without a key (GitHub and Standard
 * Webhooks senders cannot add ours); {@link TriggerWebhookResource} then verifies the signature against the webhook's
 * secret. Every other request still needs its key.
 */
public class SignedRequestFilter {

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION - 100)
    public void allowSignedWebhooks(ContainerRequestContext request, SimpleResourceInfo resource) {
        if (resource.getResourceClass() == TriggerWebhookResource.class
                && (request.getHeaderString(SignatureVerifier.GITHUB_SIGNATURE) != null
                        || request.getHeaderString(SignatureVerifier.STANDARD_SIGNATURE) != null)) {
            request.setProperty(ApiKeyAuthFilter.API_KEY_OPTIONAL, Boolean.TRUE);
        }
    }
}
