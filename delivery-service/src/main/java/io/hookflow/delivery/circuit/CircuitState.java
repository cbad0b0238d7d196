package io.hookflow.delivery.circuit;

/**
 * A destination's circuit: deliveries flow (CLOSED), are parked (OPEN), or wait on one probe (HALF_OPEN); DISABLED
 * after every attempt failed for the auto-disable time: parked, never probed, until an operator enables it.
 */
public enum CircuitState {
    CLOSED,
    OPEN,
    HALF_OPEN,
    DISABLED
}
