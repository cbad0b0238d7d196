package io.hookflow.delivery.execution;

/** Where an execution stands. PENDING and RETRYING are waiting for the worker; the last three are final. */
public enum ExecutionStatus {
    PENDING,
    RUNNING,
    RETRYING,
    SUCCEEDED,
    FAILED,
    CANCELED;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELED;
    }
}
