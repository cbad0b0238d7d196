package io.hookflow.delivery.execution;

/** An execution became due outside the worker's own loop (an operator's retry): the worker should look now. */
public record ExecutionsDue() {
}
