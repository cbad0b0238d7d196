package io.hookflow.delivery.circuit;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * One organisation's circuit for one destination, as stored and as operators see it.
 *
 * @param destination host:port
 * @param nextProbeAt while not CLOSED: when the next probe may go (for HALF_OPEN: when a lost probe is replaced)
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Circuit(String destination, CircuitState state, int consecutiveFailures, String lastError,
                      Instant openedAt, Instant nextProbeAt, Instant updatedAt) {
}
