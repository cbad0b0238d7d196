package io.hookflow.rules.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** rules-service settings; each has a local default and an environment override (HOOKFLOW_RULES_...). */
@ConfigMapping(prefix = "hookflow.rules")
public interface RulesConfig {

    /**
     * How many rule firings may lead to a trigger instance (a webhook is depth 0, an execution event caused by its task
     * depth 1, ...). Deeper instances are recorded as dropped and fire nothing, so a chain of rules cannot loop forever.
     */
    @WithDefault("3")
    int maxChainDepth();

    /** Where delivery-service answers, for "execute now" ({@code POST /api/v1/test-deliveries}). */
    @WithDefault("http://localhost:8083")
    String deliveryUrl();

    /** How often each replica checks whether another replica changed a rule (changes apply within this plus a reload). */
    @WithDefault("200ms")
    Duration revisionPollInterval();

    /** Partitions of the compacted rule-changes topic when rules-service creates it. */
    @WithDefault("3")
    int ruleChangesPartitions();

    /** How long a rule change waits for the broker's acknowledgement before the API answers 503. */
    @WithDefault("10s")
    Duration ruleChangesAckTimeout();

    /**
     * The largest rule document (JSON or YAML) the API takes, in bytes; larger ones are refused with 413 before they
     * are parsed.
     */
    @WithDefault("262144")
    int maxRuleSize();

    /**
     * The largest task (the rendered request with its envelope, as JSON) a rule may produce, in bytes. A rendering that
     * is larger fails that one enforcement with "request too large"; it must stay below the broker's message limit
     * (1 MiB by default), or the task could never be published.
     */
    @WithDefault("524288")
    int maxTaskSize();

    /**
     * How long a batch of trigger events may keep failing to be recorded or published before readiness reports the
     * enforcement as stalled.
     */
    @WithDefault("60s")
    Duration stallThreshold();

    /**
     * On shutdown (SIGTERM), how long the batches under way may take to be recorded and published before the consumer
     * closes; their offsets are committed only if they finish, otherwise another replica enforces them again (same
     * task ids, so no second execution). See docs/operations.md.
     */
    @WithDefault("10s")
    Duration drainTimeout();
}
