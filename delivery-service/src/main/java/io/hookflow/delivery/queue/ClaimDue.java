package io.hookflow.delivery.queue;

import io.hookflow.delivery.circuit.Circuit;
import io.hookflow.delivery.circuit.CircuitBreaker;
import io.hookflow.delivery.config.DeliveryConfig;
import io.hookflow.delivery.attempt.ClaimedExecution;
import io.hookflow.delivery.observe.DeliveryMetrics;
import io.hookflow.delivery.queue.QueueRepository.DueExecution;
import io.hookflow.delivery.ratelimit.TakeTokens;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Picks this replica's next attempts from the due executions: no more than it has room for in all and per destination,
 * none behind an open circuit, whose executions are parked until its probe time instead (one of them may be the
 * probe), and none beyond a rate limit's tokens ({@link TakeTokens}, in this transaction; a probe needs none).
 */
@ApplicationScoped
public class ClaimDue {

    /** How many due rows to look at per free slot: enough to see past a backlog for one saturated destination. */
    private static final int LOOK_AHEAD = 4;
    private static final int MAX_CANDIDATES = 1000;

    private final QueueRepository queue;
    private final CircuitBreaker breaker;
    private final TakeTokens tokens;
    private final DeliveryMetrics metrics;
    private final Duration lease;
    private final int perDestination;

    ClaimDue(QueueRepository queue, CircuitBreaker breaker, TakeTokens tokens, DeliveryMetrics metrics,
             DeliveryConfig config) {
        this.queue = queue;
        this.breaker = breaker;
        this.tokens = tokens;
        this.metrics = metrics;
        this.lease = config.lease();
        this.perDestination = Math.max(1, config.maxInFlightPerDestination());
    }

    /**
     * @param capacity      free slots on this replica
     * @param inFlightByDestination attempts in flight on this replica, per destination
     */
    @Transactional
    public Claimed run(int capacity, Map<String, Integer> inFlightByDestination, Instant now) {
        Set<String> saturated = inFlightByDestination.entrySet().stream()
                .filter(entry -> entry.getValue() >= perDestination)
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        int limit = Math.min(MAX_CANDIDATES, capacity * LOOK_AHEAD);
        TakeTokens.Held held = tokens.held(now);
        List<DueExecution> due = queue.lockDue(limit, saturated,
                new QueueRepository.Skip(held.destinations(), held.rules()), now);
        List<Object[]> dueProbes = breaker.dueProbes(now);
        if (due.isEmpty() && dueProbes.isEmpty()) {
            // Rows held for a rate limit are not work new tasks should queue behind: it is theirs to wait, not others'.
            return new Claimed(List.of(), false, held.until());
        }
        Map<String, Map<String, Circuit>> openByOrg = new HashMap<>();
        due.stream().filter(row -> row.destination() != null)
                .collect(Collectors.groupingBy(DueExecution::orgId,
                        Collectors.mapping(DueExecution::destination, Collectors.toSet())))
                .forEach((org, destinations) -> openByOrg.put(org, breaker.notClosed(org, destinations)));

        Map<String, Integer> used = new HashMap<>(inFlightByDestination);
        Map<String, Instant> probeTimes = new HashMap<>();
        List<UUID> claim = new ArrayList<>();
        Set<UUID> probes = new HashSet<>();
        Map<Parking, List<UUID>> park = new LinkedHashMap<>();
        for (DueExecution row : due) {
            if (claim.size() >= capacity) {
                break;
            }
            String destination = row.destination();
            if (destination != null && used.getOrDefault(destination, 0) >= perDestination) {
                continue; // no room for this destination on this replica: left due, for later or for another replica
            }
            Circuit open = destination == null ? null : openByOrg.get(row.orgId()).get(destination);
            if (open != null) {
                String key = row.orgId() + " " + destination;
                Instant probeAt = probeTimes.computeIfAbsent(key,
                        ignored -> Objects.requireNonNullElse(open.nextProbeAt(), now));
                boolean probe = !probeAt.isAfter(now) && breaker.takeProbe(row.orgId(), destination, now);
                if (!probe) {
                    Instant nextProbe = Objects.requireNonNullElse(probeTimes.get(key), now).isAfter(now)
                            ? probeTimes.get(key) : now.plus(lease);
                    String reason = open.parkingReason(nextProbe);
                    park.computeIfAbsent(new Parking(nextProbe, reason), ignored -> new ArrayList<>()).add(row.id());
                    continue;
                }
                // This one is the probe; the rest of the batch waits for its verdict.
                probeTimes.put(key, now.plus(lease));
                probes.add(row.id());
            }
            claim.add(row.id());
            if (destination != null) {
                used.merge(destination, 1, Integer::sum);
            }
        }
        // Rate limits last: only what would otherwise go now takes a token. A probe takes none (one request per
        // cool-down, and a probe held back would leave its circuit HALF_OPEN until the lease ran out).
        Map<UUID, DueExecution> byId = new HashMap<>();
        due.forEach(row -> byId.put(row.id(), row));
        TakeTokens.Taken taken = tokens.run(claim.stream().filter(id -> !probes.contains(id)).map(byId::get)
                .map(row -> new TakeTokens.Chosen(row.id(), row.orgId(), row.destination())).toList(), now);
        if (!taken.refused().isEmpty()) {
            claim.removeIf(taken.refused()::contains);
            taken.refused().stream().map(byId::get).filter(row -> row.destination() != null)
                    .forEach(row -> used.merge(row.destination(), -1, Integer::sum));
            metrics.heldByRateLimit(taken.refused().size());
        }
        // A circuit whose probe time has come and that no new due row probed: its oldest parked execution is the probe.
        for (Object[] circuit : dueProbes) {
            String orgId = (String) circuit[0];
            String destination = (String) circuit[1];
            if (claim.size() >= capacity || used.getOrDefault(destination, 0) >= perDestination) {
                continue;
            }
            Optional<DueExecution> parked = queue.lockParkedProbe(orgId, destination);
            if (parked.isPresent() && breaker.takeProbe(orgId, destination, now)) {
                claim.add(parked.get().id());
                used.merge(destination, 1, Integer::sum);
            }
        }
        park.forEach((parking, ids) -> queue.park(ids, parking.nextProbe(), parking.reason(), now));
        int parked = park.values().stream().mapToInt(List::size).sum();
        // A full look-ahead may have more behind it; rows skipped for a busy destination or a rate limit are still due.
        boolean dueLeft = due.size() >= limit || claim.size() + parked < due.size();
        return new Claimed(queue.claim(claim, lease, now).stream()
                .map(execution -> new ClaimedExecution(execution.id, execution.orgId, execution.destination,
                        execution.attemptCount, execution.request, execution.traceparent))
                .toList(), dueLeft, taken.nextTokenAt(held.until()));
    }

    /** Where a group of parked executions waits: the circuit's next probe, with the reason operators see. */
    private record Parking(Instant nextProbe, String reason) {
    }

    /**
     * What a claim took, whether due work was left behind (more than fitted, or a busy or rate-limited destination's),
     * and when a rate limit that held some back has a token again (null: none held back).
     */
    public record Claimed(List<ClaimedExecution> executions, boolean dueLeft, Instant nextTokenAt) {
    }

}
