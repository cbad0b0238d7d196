package io.hookflow.delivery.execution;

/** How one attempt ended. */
public enum AttemptOutcome {
    /** The target answered 2xx. */
    SUCCESS,
    /** The target answered something else, or could not be reached. */
    FAILURE
}
