package io.hookflow.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;

/**
 * A change of one organisation's destination, published by delivery-service to {@link Topics#DESTINATION_EVENTS} with
 * {@code orgId + " " + destination} as key. Today one type: {@link #DISABLED}, when every attempt to the destination
 * has failed for the auto-disable time. Delivered at least once: the same disabling may arrive twice (same
 * {@code disabledAt}).
 *
 * @param destination         host:port
 * @param failingSince        the first failure of the streak that disabled it
 * @param consecutiveFailures failed attempts in a row when it was disabled
 * @param depth               0: a system event, caused by no task
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DestinationEvent(
        int version,
        String type,
        String orgId,
        String destination,
        String lastError,
        int consecutiveFailures,
        Instant failingSince,
        Instant disabledAt,
        int depth) {

    public static final int VERSION = 1;
    /** The type, and the trigger rules-service turns it into. */
    public static final String DISABLED = "hookflow.destination.disabled";
}
