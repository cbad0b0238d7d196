package io.hookflow.rules.signing;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * delivery-service's list of the caller's organisation's signing keys (URL: quarkus.rest-client.delivery-keys.url, the
 * same delivery-service as execute-now, with a short read timeout: a rule save waits for it).
 */
@RegisterRestClient(configKey = "delivery-keys")
@Path("/api/v1/signing-keys")
public interface SigningKeysApi {

    /** Any answer but a 2xx throws a WebApplicationException; one that never came, a ProcessingException. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    KeyList list(@HeaderParam("St2-Api-Key") String apiKey, @HeaderParam("X-Auth-Token") String authToken);

    /** The part of delivery's answer the check reads; delivery's other fields are ignored. */
    @RegisterForReflection
    record KeyList(List<Key> items) {
    }

    @RegisterForReflection
    record Key(String id, String status) {
    }
}
