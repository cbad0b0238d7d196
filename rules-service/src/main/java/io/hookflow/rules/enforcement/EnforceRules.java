package io.hookflow.rules.enforcement;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.TaskIds;
import io.hookflow.common.event.TriggerEvent;
import io.hookflow.rules.action.HttpAction;
import io.hookflow.rules.rule.Rule;
import io.hookflow.rules.rule.RuleRepository;
import io.hookflow.rules.template.MissingValueException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Matches one trigger instance against the enabled rules of its trigger type and publishes a task for each rule that
 * fires. Returns only once the broker has every task, so the event's offset is committed after its tasks are safe.
 */
@ApplicationScoped
public class EnforceRules {

    private static final Logger LOG = Logger.getLogger(EnforceRules.class);

    private final RuleRepository rules;
    private final CompiledRules compiled;
    private final TaskPublisher publisher;

    EnforceRules(RuleRepository rules, CompiledRules compiled, TaskPublisher publisher) {
        this.rules = rules;
        this.compiled = compiled;
        this.publisher = publisher;
    }

    public List<ActionTask> run(TriggerEvent event) {
        List<Rule> candidates = QuarkusTransaction.requiringNew()
                .call(() -> rules.listEnabledForTrigger(event.orgId(), event.trigger()));
        JsonNode trigger = TriggerContext.of(event);
        List<ActionTask> tasks = new ArrayList<>();
        for (Rule rule : candidates) {
            if (!compiled.criteriaOf(rule).matches(trigger)) {
                continue;
            }
            try {
                tasks.add(new ActionTask(ActionTask.VERSION, TaskIds.forTask(event.id(), rule.id.toString()), event.orgId(),
                        event.id(), event.trigger(), rule.id.toString(), rule.ref(), rule.actionRef,
                        HttpAction.render(rule.actionParameters, trigger), Instant.now(), event.depth()));
            } catch (MissingValueException e) {
                // Sending a half-rendered request would be worse than not sending; the reason is logged with the ids.
                LOG.warnf("Rule %s matched trigger instance %s but was not enforced: %s", rule.ref(), event.id(), e.getMessage());
            }
        }
        publisher.publishAll(tasks);
        return tasks;
    }
}
