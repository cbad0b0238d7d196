package io.hookflow.rules.compare;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Instant;
import java.util.List;

/**
 * What two rules matched over one time range: how many trigger instances both, only {@code a} and only {@code b}
 * matched, and the newest of each (at most {@code limit} per list; the counts are always complete).
 */
@RegisterForReflection
public record RuleComparison(RuleRef a, RuleRef b, Instant since, Instant until, Counts counts, int limit,
                             List<String> both, List<String> onlyA, List<String> onlyB) {

    /** One compared rule. */
    @RegisterForReflection
    public record RuleRef(String id, String ref, String mode) {
    }

    /** Trigger instances matched, in the range: {@code a} = both + onlyA, {@code b} = both + onlyB. */
    @RegisterForReflection
    public record Counts(long both, long onlyA, long onlyB, long a, long b) {
    }
}
