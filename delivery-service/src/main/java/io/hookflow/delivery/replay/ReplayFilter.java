package io.hookflow.delivery.replay;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.hookflow.delivery.execution.ExecutionStatus;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which executions a replay job sends again: the organisation's executions created in [since, until) whose status is
 * one of {@code statuses}, optionally of one rule (its id or ref) and one destination.
 *
 * @param destination {@code host:port} (as {@link io.hookflow.delivery.destination.Destinations#destinationOf}
 *                    writes it: lower case, the scheme's default port filled in), or a bare host for any of its ports
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReplayFilter(List<ExecutionStatus> statuses, String ruleId, String destination, Instant since,
                           Instant until) {

    /** host:port, the host bracketed when it is an IPv6 address; anything else is a bare host. */
    private static final Pattern HOST_PORT = Pattern.compile("^(\\[[^]]+]|[^:\\[\\]]+):(\\d{1,5})$");

    /** The destination as stored: lower case, trimmed. */
    static String normalise(String destination) {
        return destination == null ? null : destination.strip().toLowerCase(Locale.ROOT);
    }

    /** Whether {@code destination} names a port (matched against the destination column) or a bare host. */
    @JsonIgnore
    boolean destinationHasPort() {
        return destination != null && HOST_PORT.matcher(destination).matches();
    }

    /** Whether a destination is usable at all: host:port with a port from 1 to 65535, or a host without one. */
    static boolean wellFormed(String destination) {
        if (destination.isEmpty() || destination.contains("/") || destination.contains(" ")) {
            return false;
        }
        Matcher hostPort = HOST_PORT.matcher(destination);
        if (hostPort.matches()) {
            int port = Integer.parseInt(hostPort.group(2));
            return port >= 1 && port <= 65535;
        }
        // A bare host: a name or an IPv4 address (no colon), or a bracketed IPv6 address.
        return !destination.contains(":") || destination.matches("^\\[[^]]+]$");
    }
}
