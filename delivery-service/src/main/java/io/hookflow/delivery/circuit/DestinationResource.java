package io.hookflow.delivery.circuit;

import io.hookflow.common.auth.Caller;
import io.hookflow.delivery.execution.ExecutionsDue;
import jakarta.enterprise.event.Event;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/destinations")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Destinations", description = "Where the organisation's deliveries go, and their circuit breakers")
public class DestinationResource {

    private final CircuitBreaker breaker;
    private final Caller caller;
    private final Event<ExecutionsDue> due;

    DestinationResource(CircuitBreaker breaker, Caller caller, Event<ExecutionsDue> due) {
        this.breaker = breaker;
        this.caller = caller;
        this.due = due;
    }

    @GET
    @Operation(summary = "The organisation's destinations with their circuit state",
            description = "Every destination (host:port) the organisation's deliveries have reached or tried to reach:"
                    + " state (CLOSED, OPEN, HALF_OPEN, DISABLED), consecutive failures, the last failure, since when"
                    + " every attempt has failed, when the circuit opened, when the next probe goes and when it was"
                    + " disabled. Circuits not CLOSED first.")
    public DestinationList list() {
        return new DestinationList(breaker.listForOrg(caller.orgId()));
    }

    @POST
    @Path("{destination}/enable")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Enable a disabled destination and replay what it parked",
            description = "A destination is disabled once every attempt to it has failed for"
                    + " hookflow.delivery.auto-disable-after (5 days). Enabling closes its circuit and makes every"
                    + " execution parked behind it due at once (released: how many). 404 for a destination the"
                    + " organisation never used, 409 for one that is not DISABLED.")
    public Enabled enable(@PathParam("destination") String destination) {
        String normalised = destination.strip().toLowerCase(Locale.ROOT);
        Circuit circuit = breaker.enable(caller.orgId(), normalised, Instant.now());
        int released = breaker.releaseParked(caller.orgId(), normalised);
        due.fire(new ExecutionsDue());
        return new Enabled(circuit, released);
    }

    @io.quarkus.runtime.annotations.RegisterForReflection
    public record DestinationList(List<Circuit> items) {
    }

    /** The circuit once enabled, and how many parked executions became due. */
    @io.quarkus.runtime.annotations.RegisterForReflection
    public record Enabled(Circuit destination, int released) {
    }
}
