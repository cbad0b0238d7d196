package io.hookflow.rules.rule;

import io.hookflow.rules.config.TopicSetup;
import io.hookflow.rules.enforcement.RuleIndex;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Start-up in order: refuse to run without the secrets key; encrypt any plaintext secret still stored; start watching
 * for other replicas' changes; then, in the background until the broker answers, create the compacted rule-changes
 * and action-tasks topics and republish every rule (reconciling a lost publish).
 */
@ApplicationScoped
public class RulesStartup {

    private static final Logger LOG = Logger.getLogger(RulesStartup.class);

    private final RuleSecrets secrets;
    private final TopicSetup topics;
    private final RuleService service;
    private final RuleIndex index;

    RulesStartup(RuleSecrets secrets, TopicSetup topics, RuleService service, RuleIndex index) {
        this.secrets = secrets;
        this.topics = topics;
        this.service = service;
        this.index = index;
    }

    void onStart(@Observes StartupEvent event) {
        secrets.requireKey();
        int encrypted = service.encryptPlaintextSecrets();
        if (encrypted > 0) {
            LOG.infof("Encrypted the plaintext secrets of %d stored rule(s)", encrypted);
        }
        index.startPolling();
        Thread reconcile = new Thread(this::reconcileUntilDone, "rule-changes-reconcile");
        reconcile.setDaemon(true);
        reconcile.start();
    }

    private void reconcileUntilDone() {
        Duration backoff = Duration.ofSeconds(1);
        while (true) {
            try {
                topics.ensureTopics();
                int count = service.republishAll();
                LOG.infof("Republished %d rule(s) to rule-changes", count);
                return;
            } catch (RuntimeException e) {
                LOG.warnf("Could not reconcile rule-changes yet, retrying in %s: %s", backoff, e.toString());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : backoff.multipliedBy(2);
            }
        }
    }
}
