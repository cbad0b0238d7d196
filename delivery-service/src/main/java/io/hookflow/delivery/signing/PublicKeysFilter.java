package io.hookflow.delivery.signing;

import io.hookflow.common.auth.ApiKeyAuthFilter;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * Runs before the API-key check: receivers fetch public keys without any Hookflow credential. Every other resource
 * still needs its key.
 */
public class PublicKeysFilter {

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION - 100)
    public void openPublicKeys(ContainerRequestContext request, SimpleResourceInfo resource) {
        if (resource.getResourceClass() == PublicKeysResource.class) {
            request.setProperty(ApiKeyAuthFilter.API_KEY_OPTIONAL, Boolean.TRUE);
        }
    }
}
