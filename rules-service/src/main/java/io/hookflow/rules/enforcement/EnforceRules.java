package io.hookflow.rules.enforcement;

import io.hookflow.rules.observe.TriggerTraces;
import io.hookflow.rules.datastore.Datastore;
import io.hookflow.rules.template.TemplateContext;
import io.hookflow.rules.progress.EnforcementProgress;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.TaskIds;
import io.hookflow.common.event.TriggerEvent;
import io.hookflow.common.observe.WebhookTrail;
import io.hookflow.rules.config.RulesConfig;
import io.hookflow.rules.index.CompiledRule;
import io.hookflow.rules.index.RuleIndex;
import io.hookflow.rules.index.TriggerContext;
import io.hookflow.rules.instance.TriggerInstance;
import io.hookflow.rules.records.RecordOutcomes;
import io.hookflow.rules.records.RuleEnforcement;
import io.hookflow.rules.rule.RuleSecrets;
import io.hookflow.rules.template.RenderFailedException;
import io.hookflow.rules.template.RenderBudget;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Matches a batch of trigger instances against the rules in force, records every instance and every enforcement, then
 * publishes a task for each rule that fired. Returns only once the records are stored and the broker has every task,
 * so the events' offsets are committed after both are safe. A redelivered event records nothing new and republishes
 * the same task ids, which delivery-service turns into a single execution.
 *
 * <p>A shadow rule goes through every step a live one does (match, render, size check) but its task is never
 * published: its enforcement is recorded as {@code shadowed} with the request it would have sent. Shadow rules observe
 * the traffic without changing it, so they do not count towards the trigger instance's status either.
 */
@ApplicationScoped
public class EnforceRules {

    private static final Logger LOG = Logger.getLogger(EnforceRules.class);

    private final RuleIndex index;
    private final RecordOutcomes records;
    private final TaskPublisher publisher;
    private final RuleSecrets secrets;
    private final RulesConfig config;
    private final EnforcementProgress progress;
    /** Batches being enforced now, so that a shutdown can wait for them (see {@link EnforcementDrain}). */
    private final java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();

    /** Trigger instances this replica recorded and enforced: its share of the work, per replica on /q/metrics. */
    private final io.micrometer.core.instrument.Counter enforced;

    private final Datastore datastore;
    private final ObjectMapper json;
    private final TriggerTraces traces;

    EnforceRules(RuleIndex index, RecordOutcomes records, TaskPublisher publisher, RuleSecrets secrets, RulesConfig config,
                 EnforcementProgress progress, io.micrometer.core.instrument.MeterRegistry registry, Datastore datastore,
                 ObjectMapper json, TriggerTraces traces) {
        this.json = json;
        this.progress = progress;
        this.traces = traces;
        this.datastore = datastore;
        this.enforced = io.micrometer.core.instrument.Counter.builder("hookflow_rules_trigger_instances_enforced_total")
                .description("Trigger instances this replica recorded and whose tasks it published")
                .register(registry);
        this.index = index;
        this.records = records;
        this.publisher = publisher;
        this.secrets = secrets;
        this.config = config;
    }

    /** What one batch produced. */
    public record Outcome(List<RecordOutcomes.InstanceRow> instances, List<RecordOutcomes.EnforcementRow> enforcements,
                          List<TaskPublisher.EncodedTask> tasks) {
    }

    public Outcome run(List<TriggerEvent> events) {
        running.incrementAndGet();
        try {
            return enforce(events);
        } finally {
            synchronized (running) {
                running.decrementAndGet();
                running.notifyAll();
            }
        }
    }

    /**
     * Waits until no batch is being enforced, at most {@code timeout}.
     *
     * @return the batches still under way when it gave up (0 when idle)
     */
    int awaitIdle(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (running) {
            while (running.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                running.wait(Math.max(1, left / 1_000_000));
            }
            return running.get();
        }
    }

    private Outcome enforce(List<TriggerEvent> events) {
        RuleIndex.Snapshot rules = index.currentWaitingForDatabase(progress);
        Outcome outcome = evaluate(events, rules);
        if (LOG.isDebugEnabled()) {
            LOG.debugf("Batch of %d trigger instance(s) at rule revision %d: %d enforcement(s), %d task(s); instances %s",
                    events.size(), rules.revision(), outcome.enforcements().size(), outcome.tasks().size(),
                    outcome.instances().stream().map(i -> i.id() + "=" + i.status()).toList());
        }
        records.record(outcome.instances(), outcome.enforcements());
        publisher.publishAll(outcome.tasks());
        enforced.increment(events.size());
        return outcome;
    }

    /** The pure part: matches and renders without touching the database or the broker. */
    public Outcome evaluate(List<TriggerEvent> events, RuleIndex.Snapshot rules) {
        Map<String, RecordOutcomes.InstanceRow> instances = new LinkedHashMap<>();
        Map<java.util.UUID, RecordOutcomes.EnforcementRow> enforcements = new LinkedHashMap<>();
        List<TaskPublisher.EncodedTask> tasks = new ArrayList<>();
        for (TriggerEvent event : events) {
            WebhookTrail.about(event.orgId(), event.id());
            traces.inLogs(event.id());
            String traceId = traces.traceId(event.id());
            String status;
            String reason = null;
            if (event.depth() > config.maxChainDepth()) {
                status = TriggerInstance.DROPPED;
                reason = "chain depth " + event.depth() + " exceeds hookflow.rules.max-chain-depth = " + config.maxChainDepth()
                        + "; no rule was evaluated";
                LOG.warnf("Trigger instance %s (%s) dropped: %s", event.id(), event.trigger(), reason);
            } else {
                JsonNode trigger = TriggerContext.of(event);
                int matched = 0;
                for (CompiledRule rule : rules.candidates(event.orgId(), event.trigger(), event.triggerParameters(), trigger)) {
                    String failure = null;
                    boolean matches;
                    try {
                        matches = rule.matches(trigger);
                    } catch (RuntimeException e) {
                        // Operators do not throw; this is a guard so one odd rule cannot stop the partition.
                        LOG.errorf(e, "Rule %s failed to evaluate trigger instance %s", rule.rule().ref(), event.id());
                        matches = true;
                        failure = "criteria could not be evaluated: " + e.getMessage();
                    }
                    if (!matches) {
                        continue;
                    }
                    boolean shadow = rule.rule().shadow();
                    if (!shadow) {
                        matched++;
                    }
                    String ruleId = rule.rule().id.toString();
                    String taskId = TaskIds.forTask(event.id(), ruleId);
                    JsonNode shadowRequest = null;
                    if (failure == null) {
                        try {
                            TemplateContext context = new TemplateContext(trigger, datastore.forRendering(event.orgId()));
                            // A shadow rule sends nothing, so it has nothing to order.
                            String lane = shadow ? null : rule.lane(context, config.renderLimits());
                            ActionTask task = new ActionTask(ActionTask.VERSION, taskId, event.orgId(), event.id(),
                                    event.trigger(), ruleId, rule.rule().ref(), rule.rule().actionRef,
                                    rule.render(context, secrets::encrypt, config.renderLimits()), Instant.now(),
                                    event.depth(), lane);
                            byte[] encoded = publisher.encode(task);
                            if (encoded.length > config.maxTaskSize()) {
                                // The broker would refuse it for ever; only this enforcement fails, every other flows.
                                failure = "request too large: the rendered task is " + encoded.length
                                        + " bytes, above hookflow.rules.max-task-size = " + config.maxTaskSize();
                            } else if (shadow) {
                                shadowRequest = json.valueToTree(task.request());
                            } else {
                                tasks.add(new TaskPublisher.EncodedTask(task, encoded));
                            }
                        } catch (RenderFailedException | RenderBudget.TooLargeException e) {
                            // Sending a half-rendered request would be worse than not sending.
                            failure = e.getMessage();
                        }
                    }
                    if (failure != null && reason == null && !shadow) {
                        reason = "rule " + rule.rule().ref() + ": " + failure;
                    }
                    String enforcementStatus = failure != null ? RuleEnforcement.FAILED
                            : shadow ? RuleEnforcement.SHADOWED : RuleEnforcement.SUCCEEDED;
                    java.util.UUID enforcementId = RuleEnforcement.idFor(event.id(), rule.rule().id);
                    enforcements.putIfAbsent(enforcementId, new RecordOutcomes.EnforcementRow(enforcementId, event.orgId(),
                            event.id(), rule.rule().id, rule.rule().ref(), enforcementStatus,
                            failure == null && !shadow ? taskId : null, failure, shadowRequest, traceId));
                }
                status = matched == 0 ? TriggerInstance.NO_RULE_MATCHED
                        : reason == null ? TriggerInstance.PROCESSED : TriggerInstance.FAILED;
            }
            instances.putIfAbsent(event.id(), new RecordOutcomes.InstanceRow(event.id(), event.orgId(), event.trigger(),
                    event.triggerParameters(), event.payload(),
                    event.source() == null ? null : event.source().webhook(),
                    event.receivedAt() == null ? Instant.now() : event.receivedAt(), status, reason, event.depth(),
                    traceId));
            WebhookTrail.enforced(status);
        }
        WebhookTrail.clear();
        return new Outcome(List.copyOf(instances.values()), List.copyOf(enforcements.values()), tasks);
    }

}
