package io.hookflow.delivery.circuit;

/** A destination's circuit: deliveries flow (CLOSED), are parked (OPEN), or wait on one probe (HALF_OPEN). */
public enum CircuitState {
    CLOSED,
    OPEN,
    HALF_OPEN
}
