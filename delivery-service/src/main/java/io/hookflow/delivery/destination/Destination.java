package io.hookflow.delivery.destination;

import java.net.InetAddress;

/** The guard's verdict on where a request would go. */
public sealed interface Destination {

    /**
     * Allowed: connect to {@code address} (the one checked, so a second DNS answer cannot redirect us) while the request
     * keeps {@code host} for its Host header and TLS name.
     */
    record Allowed(String scheme, String host, int port, String pathAndQuery, InetAddress address) implements Destination {

        public boolean tls() {
            return scheme.equals("https");
        }
    }

    /** Refused by configuration: asking again cannot change the answer, so the execution fails at once. */
    record Refused(String reason) implements Destination {
    }

    /** The host did not resolve: possibly passing, so retried like a connection error. */
    record Unresolved(String error) implements Destination {
    }
}
