package io.hookflow.rules.rule;

import io.hookflow.common.retry.Backoff;
import io.hookflow.rules.config.TopicSetup;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Start-up in order: refuse to run without the secrets key; encrypt any plaintext secret still stored; announce that
 * the rules may be read ({@link RulesReady}: the index starts watching for other replicas' changes); then, in the background until the broker answers, create the compacted rule-changes
 * and action-tasks topics and republish every rule (reconciling a lost publish).
 */
@ApplicationScoped
public class RulesStartup {

    private static final Logger LOG = Logger.getLogger(RulesStartup.class);

    private final RuleSecrets secrets;
    private final TopicSetup topics;
    private final RuleService service;
    private final Event<RulesReady> rulesReady;

    RulesStartup(RuleSecrets secrets, TopicSetup topics, RuleService service, Event<RulesReady> rulesReady) {
        this.secrets = secrets;
        this.topics = topics;
        this.service = service;
        this.rulesReady = rulesReady;
    }

    void onStart(@Observes StartupEvent event) {
        secrets.requireKey();
        int encrypted = service.encryptPlaintextSecrets();
        if (encrypted > 0) {
            LOG.infof("Encrypted the plaintext secrets of %d stored rule(s)", encrypted);
        }
        rulesReady.fire(new RulesReady());
        Thread reconcile = new Thread(this::reconcileUntilDone, "rule-changes-reconcile");
        reconcile.setDaemon(true);
        reconcile.start();
    }

    private void reconcileUntilDone() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
        while (true) {
            try {
                topics.ensureTopics();
                int count = service.republishAll();
                LOG.infof("Republished %d rule(s) to rule-changes", count);
                return;
            } catch (RuntimeException e) {
                Duration delay = backoff.next();
                LOG.warnf("Could not reconcile rule-changes yet, retrying in %s: %s", delay, e.toString());
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }
}
