package io.hookflow.rules.index;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.common.event.TriggerIdentity;
import io.hookflow.rules.config.RulesConfig;
import io.hookflow.rules.criteria.Criteria;
import io.hookflow.common.retry.Backoff;
import io.hookflow.rules.payload.PayloadQuery;
import io.hookflow.rules.progress.EnforcementProgress;
import io.hookflow.rules.rule.Rule;
import io.hookflow.rules.rule.RuleRepository;
import io.hookflow.rules.rule.RuleRevisions;
import io.hookflow.rules.rule.RuleSecrets;
import io.hookflow.rules.rule.RulesChanged;
import io.hookflow.rules.rule.RulesReady;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Every enabled rule, compiled, in memory and indexed by (organisation, trigger type, trigger parameters) — the
 * trigger's identity, so a webhook at one url never reaches the rules of another — and, where a rule has an
 * {@code equals} criterion with a constant pattern, by that field's value: an event costs one map lookup per indexed
 * field plus the rules that may really match, not one evaluation per rule. Reloaded when this replica changes a rule
 * ({@link RulesChanged}) and when a poll of the revision counter shows another replica did (from {@link RulesReady}).
 */
@ApplicationScoped
public class RuleIndex {

    private static final Logger LOG = Logger.getLogger(RuleIndex.class);

    private final RuleRepository rules;
    private final RuleRevisions revisions;
    private final RuleSecrets secrets;
    private final RulesConfig config;
    /** Bumped by every change this replica learns of; a snapshot loaded before the bump is stale. */
    private final AtomicLong generation = new AtomicLong(1);
    private volatile Loaded loaded;
    private ScheduledExecutorService poller;

    private record Loaded(Snapshot snapshot, long generation) {
    }

    RuleIndex(RuleRepository rules, RuleRevisions revisions, RuleSecrets secrets, RulesConfig config,
              io.micrometer.core.instrument.MeterRegistry registry) {
        this.rules = rules;
        this.revisions = revisions;
        this.secrets = secrets;
        this.config = config;
        // Per replica: a replica whose revision stays behind the others' has not seen a rule change yet.
        io.micrometer.core.instrument.Gauge.builder("hookflow_rules_index_revision", this,
                        index -> index.loaded == null ? -1 : index.loaded.snapshot().revision())
                .description("The rule revision this replica's rule index was loaded at (-1 before the first load)")
                .register(registry);
    }

    /** The rules in force now; waits for a reload when a change is known that the current snapshot predates. */
    public Snapshot current() {
        Loaded current = loaded;
        if (current == null || current.generation() < generation.get()) {
            return reload();
        }
        return current.snapshot();
    }

    /**
     * As {@link #current()}, for a consumer: when a reload is due and the database is away, it waits and tries again
     * (the batch's events stay uncommitted meanwhile) rather than throw out of the consumer, which would stop the
     * channel, or evaluate against rules it knows to be stale, which would miss a rule created before the event.
     */
    public Snapshot currentWaitingForDatabase(EnforcementProgress progress) {
        Object batch = new Object();
        Backoff backoff = new Backoff(java.time.Duration.ofMillis(200), MAX_BACKOFF);
        while (true) {
            try {
                Snapshot snapshot = current();
                progress.done(batch);
                return snapshot;
            } catch (RuntimeException e) {
                java.time.Duration delay = backoff.next();
                LOG.warnf("Could not load the rules in force, retrying in %s: %s", delay, e.toString());
                progress.failing(batch, "loading the rules in force: " + e);
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException interrupted) {
                    progress.done(batch);
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the database", interrupted);
                }
            }
        }
    }

    private static final java.time.Duration MAX_BACKOFF = java.time.Duration.ofSeconds(30);

    /** A rule changed (here or, as the poll found, on another replica): the next caller gets a fresh snapshot. */
    private void markStale() {
        generation.incrementAndGet();
    }

    void onRulesChanged(@Observes RulesChanged changed) {
        markStale();
    }

    void onRulesReady(@Observes RulesReady ready) {
        startPolling();
    }

    /** Starts noticing other replicas' changes (once, at start-up). */
    private synchronized void startPolling() {
        if (poller != null) {
            return;
        }
        poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "rule-revision-poll");
            thread.setDaemon(true);
            return thread;
        });
        long every = Math.max(10, config.revisionPollInterval().toMillis());
        poller.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
    }

    private void poll() {
        try {
            long revision = QuarkusTransaction.requiringNew().call(revisions::current);
            Loaded current = loaded;
            if (current == null || current.snapshot().revision() != revision) {
                markStale();
                reload();
            }
        } catch (RuntimeException e) {
            LOG.debugf("Revision poll failed (retried): %s", e.toString());
        }
    }

    private synchronized Snapshot reload() {
        // The generation is read before loading: a change committed meanwhile bumps it again and forces another load.
        long wanted = generation.get();
        Loaded current = loaded;
        if (current != null && current.generation() >= wanted) {
            return current.snapshot();
        }
        Snapshot snapshot = QuarkusTransaction.requiringNew().call(() -> Snapshot.build(revisions.current(),
                rules.list("enabled = true"), secrets, current == null ? null : current.snapshot()));
        loaded = new Loaded(snapshot, wanted);
        LOG.debugf("Rules reloaded at revision %d", snapshot.revision());
        return snapshot;
    }

    @PreDestroy
    synchronized void stop() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }

    /** An immutable view of the enabled rules at one revision. */
    public static final class Snapshot {

        private final long revision;
        private final Map<String, TriggerRules> byTrigger;
        private final Map<String, Integer> countByType;
        private final Map<UUID, CompiledRule> byId;

        private Snapshot(long revision, Map<String, TriggerRules> byTrigger, Map<String, Integer> countByType,
                         Map<UUID, CompiledRule> byId) {
            this.revision = revision;
            this.byTrigger = byTrigger;
            this.countByType = countByType;
            this.byId = byId;
        }

        /** Builds a snapshot, reusing compiled rules of the previous one whose version did not change. */
        public static Snapshot build(long revision, Collection<Rule> enabled, RuleSecrets secrets, Snapshot previous) {
            Map<String, List<CompiledRule>> grouped = new HashMap<>();
            Map<String, Integer> countByType = new HashMap<>();
            Map<UUID, CompiledRule> byId = new HashMap<>();
            for (Rule rule : enabled) {
                CompiledRule known = previous == null ? null : previous.byId.get(rule.id);
                CompiledRule compiled;
                try {
                    compiled = known != null && known.rule().version == rule.version
                            && known.rule().updatedAt.equals(rule.updatedAt) ? known : CompiledRule.of(rule, secrets);
                } catch (RuntimeException e) {
                    LOG.errorf("Rule %s is skipped: %s", rule.ref(), e.getMessage());
                    continue;
                }
                byId.put(rule.id, compiled);
                grouped.computeIfAbsent(key(rule.orgId, rule.triggerType, rule.triggerParameters), k -> new ArrayList<>())
                        .add(compiled);
                countByType.merge(typeKey(rule.orgId, rule.triggerType), 1, Integer::sum);
            }
            Map<String, TriggerRules> byTrigger = new HashMap<>();
            grouped.forEach((key, list) -> byTrigger.put(key, TriggerRules.of(list)));
            return new Snapshot(revision, byTrigger, countByType, byId);
        }

        public long revision() {
            return revision;
        }

        /**
         * The rules of this trigger — type and parameters — that may match the instance (every criterion still has to
         * be evaluated).
         */
        public List<CompiledRule> candidates(String orgId, String triggerType, JsonNode parameters, JsonNode trigger) {
            TriggerRules rules = byTrigger.get(key(orgId, triggerType, parameters));
            return rules == null ? List.of() : rules.candidates(trigger);
        }

        /** How many enabled rules listen to this trigger type, whatever their parameters. */
        public int ruleCount(String orgId, String triggerType) {
            return countByType.getOrDefault(typeKey(orgId, triggerType), 0);
        }

        private static String typeKey(String orgId, String triggerType) {
            return orgId + '\u0000' + triggerType;
        }

        private static String key(String orgId, String triggerType, JsonNode parameters) {
            return typeKey(orgId, triggerType) + '\u0000' + TriggerIdentity.parametersKey(triggerType, parameters);
        }
    }

    /** The rules of one trigger type: those filed under an equality on some field, and the rest. */
    static final class TriggerRules {

        private final List<CompiledRule> unindexed;
        private final List<FieldIndex> fields;
        private TriggerRules(List<CompiledRule> unindexed, List<FieldIndex> fields) {
            this.unindexed = unindexed;
            this.fields = fields;
        }

        static TriggerRules of(List<CompiledRule> rules) {
            List<CompiledRule> unindexed = new ArrayList<>();
            Map<String, FieldIndex> fields = new LinkedHashMap<>();
            for (CompiledRule rule : rules) {
                Criteria.Criterion equality = rule.indexedEquality();
                if (equality == null) {
                    unindexed.add(rule);
                } else {
                    fields.computeIfAbsent(equality.key(), k -> new FieldIndex(equality.path(), new HashMap<>()))
                            .byValue().computeIfAbsent(EqualityKey.of(equality.pattern()), k -> new ArrayList<>()).add(rule);
                }
            }
            return new TriggerRules(List.copyOf(unindexed), List.copyOf(fields.values()));
        }

        List<CompiledRule> candidates(JsonNode trigger) {
            if (fields.isEmpty()) {
                return unindexed;
            }
            List<CompiledRule> out = new ArrayList<>(unindexed);
            for (FieldIndex field : fields) {
                String value = EqualityKey.of(field.path().resolve(trigger));
                if (value != null) {
                    List<CompiledRule> hits = field.byValue().get(value);
                    if (hits != null) {
                        out.addAll(hits);
                    }
                }
            }
            return out;
        }
    }

    record FieldIndex(PayloadQuery path, Map<String, List<CompiledRule>> byValue) {
    }
}
