package io.hookflow.delivery.circuit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * One organisation's circuit for one destination, as stored and as operators see it.
 *
 * @param destination  host:port
 * @param nextProbeAt  while OPEN or HALF_OPEN: when the next probe may go (for HALF_OPEN: when a lost probe is
 *                     replaced); never for DISABLED
 * @param failingSince the first failure of the current streak (null when the last attempt did not fail)
 * @param disabledAt   when it was disabled, while DISABLED
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Circuit(String destination, CircuitState state, int consecutiveFailures, String lastError,
                      Instant openedAt, Instant nextProbeAt, Instant updatedAt, Instant failingSince,
                      Instant disabledAt) {

    /** What a parked execution's lastError says about this circuit. */
    public String parkingReason(Instant nextProbe) {
        if (state == CircuitState.DISABLED) {
            return "destination " + destination + " disabled at " + disabledAt + " after every attempt failed since "
                    + failingSince + " (last: " + lastError + "); parked until it is enabled"
                    + " (POST /api/v1/destinations/" + destination + "/enable)";
        }
        return "circuit open for " + destination + " after " + consecutiveFailures
                + " consecutive failures (last: " + lastError + "); parked until it closes, next probe at " + nextProbe;
    }
}
