package io.hookflow.rules.config;

import io.hookflow.rules.template.RenderBudget;
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
     * How long rendering one rule's request may take with Jinja templates; a template that runs longer (a loop over a
     * huge value, ...) is stopped and that enforcement fails with the reason. Plain placeholders never come near it.
     */
    @WithDefault("1s")
    Duration maxRenderTime();

    /** Loop iterations one rule's request may run in Jinja templates, every loop of every template counted. */
    @WithDefault("100000")
    long maxLoopIterations();

    /** The limits each rendering of a rule's request gets. */
    default RenderBudget.Limits renderLimits() {
        return new RenderBudget.Limits(maxTaskSize(), maxRenderTime(), maxLoopIterations());
    }

    /**
     * How long a batch of trigger events may keep failing to be recorded or published before readiness reports the
     * enforcement as stalled.
     */
    @WithDefault("60s")
    Duration stallThreshold();

    /** The largest datastore value ({@code PUT /api/v1/keys/{name}}), in bytes of UTF-8. */
    @WithDefault("65536")
    int maxKeyValueSize();

    /** How many live datastore keys one organisation may hold. */
    @WithDefault("10000")
    int maxKeysPerOrganisation();

    /**
     * How stale the datastore values a template reads may be: a replica checks the datastore's revision at most this
     * often, and only while templates read it, so another replica's change is seen within this interval.
     */
    @WithDefault("500ms")
    java.time.Duration keyValueFreshness();

    /** The user rules run as: {@code st2kv.user.x} in a template reads that user's key x, as in StackStorm. */
    @WithDefault("stanley")
    String systemUser();

    /**
     * On shutdown (SIGTERM), how long the batches under way may take to be recorded and published before the consumer
     * closes; their offsets are committed only if they finish, otherwise another replica enforces them again (same
     * task ids, so no second execution). See docs/operations.md.
     */
    @WithDefault("10s")
    Duration drainTimeout();
}
