package io.hookflow.delivery.circuit;

import io.hookflow.common.auth.Caller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/destinations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Destinations", description = "Where the organisation's deliveries go, and their circuit breakers")
public class DestinationResource {

    private final CircuitBreaker breaker;
    private final Caller caller;

    DestinationResource(CircuitBreaker breaker, Caller caller) {
        this.breaker = breaker;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The organisation's destinations with their circuit state",
            description = "Every destination (host:port) the organisation's deliveries have reached or tried to reach:"
                    + " state (CLOSED, OPEN, HALF_OPEN), consecutive failures, the last failure, when the circuit"
                    + " opened and when the next probe goes. Open circuits first.")
    public DestinationList list() {
        return new DestinationList(breaker.listForOrg(caller.orgId()));
    }

    @io.quarkus.runtime.annotations.RegisterForReflection
    public record DestinationList(List<Circuit> items) {
    }
}
