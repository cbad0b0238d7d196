package io.hookflow.rules.execute;

import io.hookflow.common.event.OutboundRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** delivery-service's "send this request once" endpoint (URL: quarkus.rest-client.delivery.url). */
@RegisterRestClient(configKey = "delivery")
@Path("/api/v1/test-deliveries")
public interface DeliveryApi {

    /** Answers the response as it came, whatever its status, so the caller decides what each one means. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Response send(OutboundRequest request, @HeaderParam("St2-Api-Key") String apiKey,
                  @HeaderParam("X-Auth-Token") String authToken);
}
