package io.hookflow.ingest.trigger;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Closes once the service is shutting down and its in-flight requests have finished (Quarkus' HTTP drain comes
 * first, see docs/operations.md): a webhook arriving after that is refused with 503 and Retry-After, which a client or
 * load balancer retries on another replica, instead of being accepted while the broker connection is being closed.
 */
@ApplicationScoped
public class ShutdownGate {

    private volatile boolean closed;

    void close(@Observes @Priority(1000) ShutdownEvent shutdown) {
        closed = true;
    }

    public boolean closed() {
        return closed;
    }
}
