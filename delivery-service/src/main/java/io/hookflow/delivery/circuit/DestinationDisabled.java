package io.hookflow.delivery.circuit;

/**
 * A destination was disabled in this replica (a CDI event, observed after the transaction committed): its
 * {@code hookflow.destination.disabled} event is pending in the circuit row, for {@link DestinationEventRelay}.
 */
record DestinationDisabled(String orgId, String destination) {
}
