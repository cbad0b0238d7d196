package io.hookflow.delivery.ratelimit;

import io.hookflow.delivery.ratelimit.RateLimitRepository.Candidate;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Takes the tokens a claim needs, in the claim's transaction: one statement per limited destination (and per limited
 * rule) however many of its executions the claim chose. An execution needs a token from its destination's bucket and,
 * when its rule has a limit, from the rule's as well, so the stricter limit applies. What gets no token stays due; its
 * destination or rule is then held back from this replica's claim query until its next token is due (at most
 * {@link #MAX_HOLD}, so a limit raised or removed on another replica is seen soon), as a saturated destination is.
 */
@ApplicationScoped
public class TakeTokens {

    /** The longest a bucket's rows are left out of this replica's claim query without asking the bucket again. */
    static final Duration MAX_HOLD = Duration.ofSeconds(5);

    private final RateLimitRepository buckets;
    /** "org destination" and rule ids whose buckets are empty, until when: their rows are not looked at until then. */
    private final Map<String, Instant> heldDestinations = new ConcurrentHashMap<>();
    private final Map<String, Instant> heldRules = new ConcurrentHashMap<>();

    TakeTokens(RateLimitRepository buckets) {
        this.buckets = buckets;
    }

    /**
     * @param chosen the executions a claim chose, in claim order (a bucket serves them in that order)
     * @return those that got no token, and when the earliest refusing bucket has one again
     */
    public Taken run(List<Chosen> chosen, Instant now) {
        if (chosen.isEmpty()) {
            return Taken.NOTHING;
        }
        List<Candidate> candidates = buckets.candidates(chosen.stream().map(Chosen::id).toList());
        Map<UUID, Candidate> byId = new LinkedHashMap<>();
        candidates.forEach(candidate -> byId.put(candidate.id(), candidate));
        Set<UUID> refused = new HashSet<>();
        Instant[] next = {null};

        // Buckets are locked in one order (destinations, then rules, each sorted), the same on every replica, so two
        // claims that need the same buckets wait for each other instead of deadlocking.
        Map<String, List<Candidate>> byDestination = new TreeMap<>();
        Map<String, List<Candidate>> byRule = new TreeMap<>();
        for (Chosen row : chosen) {
            Candidate candidate = byId.get(row.id());
            if (candidate == null) {
                continue;
            }
            if (candidate.destinationLimited() && candidate.destination() != null) {
                byDestination.computeIfAbsent(candidate.orgId() + " " + candidate.destination(),
                        ignored -> new ArrayList<>()).add(candidate);
            }
            if (candidate.rulePerSecond() != null && candidate.ruleId() != null) {
                byRule.computeIfAbsent(candidate.ruleId(), ignored -> new ArrayList<>()).add(candidate);
            }
        }
        Set<UUID> tookDestinationToken = new HashSet<>();
        byDestination.forEach((key, rows) -> {
            Candidate first = rows.get(0);
            List<Candidate> served = serve(RateLimitRepository.DESTINATION, first.destination(), first.orgId(), rows,
                    key, heldDestinations, refused, next, now);
            served.forEach(candidate -> tookDestinationToken.add(candidate.id()));
        });
        Map<String, Integer> giveBack = new LinkedHashMap<>();
        byRule.forEach((ruleId, all) -> {
            List<Candidate> rows = all.stream().filter(candidate -> !refused.contains(candidate.id())).toList();
            if (rows.isEmpty()) {
                return;
            }
            Candidate first = rows.get(0);
            double perSecond = RateLimits.boundedRate(first.rulePerSecond());
            buckets.configure(first.orgId(), RateLimitRepository.RULE, ruleId, perSecond,
                    RateLimits.boundedBurst(first.ruleBurst(), perSecond), now);
            List<Candidate> served = serve(RateLimitRepository.RULE, ruleId, first.orgId(), rows, ruleId, heldRules,
                    refused, next, now);
            rows.stream().filter(candidate -> !served.contains(candidate) && tookDestinationToken.contains(candidate.id()))
                    .forEach(candidate -> giveBack.merge(candidate.orgId() + " " + candidate.destination(), 1,
                            Integer::sum));
        });
        // The rule refused what its destination had granted: those tokens go back, or the destination would run slower.
        giveBack.forEach((key, tokens) -> {
            int space = key.indexOf(' ');
            buckets.giveBack(key.substring(0, space), RateLimitRepository.DESTINATION, key.substring(space + 1), tokens);
        });
        return new Taken(refused, next[0]);
    }

    private List<Candidate> serve(String scope, String key, String orgId, List<Candidate> rows, String holdKey,
                                  Map<String, Instant> held, Set<UUID> refused, Instant[] next, Instant now) {
        var grant = buckets.take(orgId, scope, key, rows.size(), now);
        if (grant.isEmpty()) {
            return rows; // the limit was removed meanwhile
        }
        int granted = grant.get().granted();
        Instant tokenAt = grant.get().nextTokenAt();
        if (granted < rows.size()) {
            rows.subList(granted, rows.size()).forEach(candidate -> refused.add(candidate.id()));
            Instant until = tokenAt == null ? now : tokenAt;
            held.put(holdKey, until.isAfter(now.plus(MAX_HOLD)) ? now.plus(MAX_HOLD) : until);
            if (next[0] == null || until.isBefore(next[0])) {
                next[0] = until;
            }
        }
        return rows.subList(0, granted);
    }

    /** What this replica's claim query leaves out now: "org destination" pairs and rule ids with empty buckets. */
    public Held held(Instant now) {
        heldDestinations.values().removeIf(until -> !until.isAfter(now));
        heldRules.values().removeIf(until -> !until.isAfter(now));
        Instant earliest = java.util.stream.Stream.concat(heldDestinations.values().stream(),
                heldRules.values().stream()).min(Instant::compareTo).orElse(null);
        return new Held(Set.copyOf(heldDestinations.keySet()), Set.copyOf(heldRules.keySet()), earliest);
    }

    /** A limit changed here: look at the destination's rows again at once. */
    void release(String orgId, String destination) {
        heldDestinations.remove(orgId + " " + destination);
    }

    /** An execution a claim chose. */
    public record Chosen(UUID id, String orgId, String destination) {
    }

    /** The executions refused for now, and the earliest time a refusing bucket has a token again (null: none refused). */
    public record Taken(Set<UUID> refused, Instant nextTokenAt) {
        static final Taken NOTHING = new Taken(Set.of(), null);

        /** The earlier of this and {@code other} (either may be null). */
        public Instant nextTokenAt(Instant other) {
            return nextTokenAt == null || other != null && other.isBefore(nextTokenAt) ? other : nextTokenAt;
        }
    }

    /** Rows left out of the claim query: "org destination" pairs and rule ids, and when the first is looked at again. */
    public record Held(Set<String> destinations, Set<String> rules, Instant until) {
        public boolean isEmpty() {
            return destinations.isEmpty() && rules.isEmpty();
        }
    }
}
