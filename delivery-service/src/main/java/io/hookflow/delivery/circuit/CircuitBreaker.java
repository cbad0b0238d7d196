package io.hookflow.delivery.circuit;

import io.hookflow.common.error.ApiException;
import io.hookflow.delivery.config.DeliveryConfig;
import io.hookflow.delivery.http.HttpResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Stops hammering a destination that keeps failing: after {@code failureThreshold} consecutive failures its circuit
 * opens and its deliveries are parked; after the cool-down one probe goes, and its result closes or re-opens the
 * circuit. The state lives in PostgreSQL, so every replica sees and respects the same circuit.
 */
@ApplicationScoped
public class CircuitBreaker {

    private final CircuitRepository circuits;
    private final int threshold;
    private final Duration cooldown;
    /** How long a probe holds a HALF_OPEN circuit: as long as an attempt may take, so a slow probe is not doubled. */
    private final Duration probeHold;
    /** Every attempt failing for this long disables the destination; zero: never. */
    private final Duration autoDisableAfter;
    private final Event<DestinationDisabled> disabled;

    CircuitBreaker(CircuitRepository circuits, DeliveryConfig config, Event<DestinationDisabled> disabled) {
        this.circuits = circuits;
        this.disabled = disabled;
        this.threshold = Math.max(1, config.circuit().failureThreshold());
        this.cooldown = config.circuit().cooldown();
        this.probeHold = config.lease().compareTo(cooldown) > 0 ? config.lease() : cooldown;
        this.autoDisableAfter = config.autoDisableAfter();
    }

    /** The organisation's circuits that are not CLOSED among these destinations, by destination. Inside a transaction. */
    public Map<String, Circuit> notClosed(String orgId, Collection<String> destinations) {
        return circuits.notClosed(orgId, destinations).stream()
                .collect(Collectors.toMap(Circuit::destination, Function.identity()));
    }

    /** Open circuits whose probe time has come: (organisation, destination) pairs. Inside a transaction. */
    public List<Object[]> dueProbes(Instant now) {
        return circuits.dueProbes(now);
    }

    /** Whether this caller may send the probe of an open circuit now; true for exactly one caller per probe time. */
    public boolean takeProbe(String orgId, String destination, Instant now) {
        return circuits.takeProbe(orgId, destination, now, now.plus(probeHold));
    }

    /**
     * Counts an attempt's result, inside the transaction that records it. Refusals say nothing about the destination;
     * any answer but a 5xx means it is up.
     *
     * @return whether the circuit was closed by this result: call {@link #releaseParked} once the transaction committed
     */
    public boolean record(String orgId, String destination, HttpResult result, Instant now) {
        if (destination == null || result.refused()) {
            return false;
        }
        circuits.ensure(orgId, destination, now);
        if (!isFailure(result)) {
            return circuits.close(orgId, destination, now);
        }
        Circuit current = circuits.lock(orgId, destination).orElseThrow();
        int failures = current.consecutiveFailures() + 1;
        String error = result.error() != null ? result.error() : "HTTP " + result.status();
        Instant failingSince = current.failingSince() != null && current.consecutiveFailures() > 0
                ? current.failingSince() : now;
        Circuit next = switch (current.state()) {
            // The probe failed: wait another cool-down.
            case HALF_OPEN -> new Circuit(destination, CircuitState.OPEN, failures, error, current.openedAt(),
                    now.plus(cooldown), now, failingSince, null);
            // A straggler sent before the circuit opened: counted, the probe time stays.
            case OPEN -> new Circuit(destination, CircuitState.OPEN, failures, error, current.openedAt(),
                    current.nextProbeAt(), now, failingSince, null);
            case CLOSED -> failures >= threshold
                    ? new Circuit(destination, CircuitState.OPEN, failures, error, now, now.plus(cooldown), now,
                            failingSince, null)
                    : new Circuit(destination, CircuitState.CLOSED, failures, error, null, null, now, failingSince, null);
            // A straggler sent before it was disabled: counted; it stays disabled.
            case DISABLED -> new Circuit(destination, CircuitState.DISABLED, failures, error, current.openedAt(), null,
                    now, failingSince, current.disabledAt());
        };
        if (next.state() != CircuitState.DISABLED && failingFor(failingSince, now)) {
            // Every attempt has failed for the auto-disable time: parked for good, until an operator enables it.
            next = new Circuit(destination, CircuitState.DISABLED, failures, error, next.openedAt(), null, now,
                    failingSince, now);
        }
        circuits.update(orgId, next);
        if (next.state() == CircuitState.DISABLED && current.state() != CircuitState.DISABLED) {
            disabled.fire(new DestinationDisabled(orgId, destination));
        }
        return false;
    }

    private boolean failingFor(Instant failingSince, Instant now) {
        return !autoDisableAfter.isZero() && !autoDisableAfter.isNegative()
                && !failingSince.plus(autoDisableAfter).isAfter(now);
    }

    /**
     * An operator enables a disabled destination: its circuit is CLOSED again and everything parked behind it is due
     * at once (released in its own transaction afterwards, as {@link #releaseParked}).
     *
     * @return the circuit as it is now
     * @throws ApiException 404 for a destination the organisation never used, 409 for one
     *                                                 that is not disabled
     */
    @Transactional
    public Circuit enable(String orgId, String destination, Instant now) {
        if (!circuits.enable(orgId, destination, now)) {
            Circuit current = circuits.find(orgId, destination).orElseThrow(() ->
                    ApiException.notFound("no destination " + destination));
            throw ApiException.conflict("destination " + destination + " is "
                    + current.state() + ", not DISABLED");
        }
        return circuits.find(orgId, destination).orElseThrow();
    }

    /**
     * Makes what a circuit parked due now. In its own transaction, after the one that closed the circuit: it locks
     * execution rows, and taking those while holding the circuit row could deadlock with a claim.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int releaseParked(String orgId, String destination) {
        return circuits.unpark(orgId, destination, Instant.now());
    }

    public List<Circuit> listForOrg(String orgId) {
        return circuits.listForOrg(orgId);
    }

    public long countOpen() {
        return circuits.countNotClosed();
    }

    /** Connection errors, timeouts and 5xx: the destination is down or struggling. A 4xx (even 429) is an answer. */
    public static boolean isFailure(HttpResult result) {
        return !result.refused() && (result.status() == null || result.status() >= 500);
    }
}
