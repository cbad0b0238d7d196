package io.hookflow.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The current state of one rule, published by rules-service to the compacted topic {@link Topics#RULE_CHANGES} on
 * every create, replace, enable, disable (key: rule id). A delete publishes a tombstone (null value) for the key.
 * Readers keep the latest record per key: ingest-service learns which {@code core.st2.webhook} urls exist from it.
 *
 * @param webhookUrl the {@code core.st2.webhook} url parameter, normalised (no leading or trailing '/'); null for
 *                   other trigger types
 * @param revision   grows with every change of the rule, so a reader can ignore an older record it sees late
 * @param ordered    true when the rule has an ordering key (ordered lanes): ingest then keys its trigger's events by
 *                   trigger, so they keep their order through one partition; null or false otherwise
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RuleChange(
        int version,
        String ruleId,
        String orgId,
        String ref,
        boolean enabled,
        String triggerType,
        String webhookUrl,
        long revision,
        Boolean ordered) {

    public static final int VERSION = 1;

    /** A rule without ordering (as every rule-changes record written before ordered lanes reads). */
    public RuleChange(int version, String ruleId, String orgId, String ref, boolean enabled, String triggerType,
                      String webhookUrl, long revision) {
        this(version, ruleId, orgId, ref, enabled, triggerType, webhookUrl, revision, null);
    }

    /** Whether the rule delivers in ordered lanes. */
    public boolean hasOrdering() {
        return Boolean.TRUE.equals(ordered);
    }
}
