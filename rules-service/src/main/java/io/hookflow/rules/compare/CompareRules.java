package io.hookflow.rules.compare;

import io.hookflow.common.error.ApiError;
import io.hookflow.common.error.ApiException;
import io.hookflow.rules.rule.Rule;
import io.hookflow.rules.rule.RuleService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares what two rules of one organisation matched over a time range, from their recorded enforcements: a rule
 * matched a trigger instance when it has an enforcement for it (succeeded, failed or shadowed). Made for trying a
 * shadow rule beside the live rule it may replace.
 */
@ApplicationScoped
public class CompareRules {

    /** Enforcements are grouped per trigger instance in the database; the range bounds how many it reads. */
    public static final java.time.Duration MAX_WINDOW = java.time.Duration.ofDays(31);

    // Counts and the newest ids of each side in one statement; the rule_enforcement_by_rule index serves the filter.
    static final String COMPARE = """
            with matched as (
                select trigger_instance_id as id, max(created_at) as at,
                       bool_or(rule_id = cast(:a as uuid)) as in_a, bool_or(rule_id = cast(:b as uuid)) as in_b
                from {h-schema}rule_enforcement
                where org_id = :org and rule_id in (cast(:a as uuid), cast(:b as uuid))
                  and created_at >= cast(:since as timestamptz) and created_at < cast(:until as timestamptz)
                group by trigger_instance_id),
            sides as (
                select id, at, case when in_a and in_b then 'both' when in_a then 'a' else 'b' end as side
                from matched),
            ranked as (
                select id, side, count(*) over (partition by side) as total,
                       row_number() over (partition by side order by at desc, id desc) as n
                from sides)
            select side, total, id from ranked where n <= :limit order by side, n""";

    private final RuleService rules;
    private final EntityManager em;

    CompareRules(RuleService rules, EntityManager em) {
        this.rules = rules;
        this.em = em;
    }

    /**
     * @throws ApiException 404 when either rule is not the organisation's, 400 when both name the same rule or the
     *                      range is longer than {@link #MAX_WINDOW}
     */
    public RuleComparison run(String orgId, String refA, String refB, Instant since, Instant until, int limit) {
        Rule a = rules.get(orgId, refA);
        Rule b = rules.get(orgId, refB);
        List<ApiError.Detail> problems = new ArrayList<>();
        if (a.id.equals(b.id)) {
            problems.add(new ApiError.Detail("b", "names the same rule as a; compare two different rules"));
        }
        if (java.time.Duration.between(since, until).compareTo(MAX_WINDOW) > 0) {
            problems.add(new ApiError.Detail("since", "the range may span at most " + MAX_WINDOW.toDays()
                    + " days; compare a shorter range"));
        }
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(COMPARE)
                .setParameter("org", orgId)
                .setParameter("a", a.id.toString())
                .setParameter("b", b.id.toString())
                .setParameter("since", since.toString())
                .setParameter("until", until.toString())
                .setParameter("limit", limit)
                .getResultList();
        long both = 0;
        long onlyA = 0;
        long onlyB = 0;
        List<String> bothIds = new ArrayList<>();
        List<String> onlyAIds = new ArrayList<>();
        List<String> onlyBIds = new ArrayList<>();
        for (Object[] row : rows) {
            long total = ((Number) row[1]).longValue();
            String id = (String) row[2];
            switch ((String) row[0]) {
                case "both" -> {
                    both = total;
                    bothIds.add(id);
                }
                case "a" -> {
                    onlyA = total;
                    onlyAIds.add(id);
                }
                default -> {
                    onlyB = total;
                    onlyBIds.add(id);
                }
            }
        }
        return new RuleComparison(refOf(a), refOf(b), since, until,
                new RuleComparison.Counts(both, onlyA, onlyB, both + onlyA, both + onlyB), limit,
                bothIds, onlyAIds, onlyBIds);
    }

    private static RuleComparison.RuleRef refOf(Rule rule) {
        return new RuleComparison.RuleRef(rule.id.toString(), rule.ref(), rule.mode);
    }
}
