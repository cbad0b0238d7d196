package io.hookflow.delivery.secret;

import io.hookflow.delivery.execution.Execution;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Encrypts passwords and secrets that executions recorded before encryption at rest still hold in the clear, at start-up
 * and in batches; replicas starting together share the work (SKIP LOCKED). Nothing to do once it has run.
 */
@ApplicationScoped
public class SealStoredSecrets {

    private static final Logger LOG = Logger.getLogger(SealStoredSecrets.class);
    private static final int BATCH = 200;

    private final StoredSecretsRepository executions;
    private final RequestSecrets secrets;

    SealStoredSecrets(StoredSecretsRepository executions, RequestSecrets secrets) {
        this.executions = executions;
        this.secrets = secrets;
    }

    // After RequestSecrets has checked that there is a key.
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 10) StartupEvent startup) {
        int sealed = run();
        if (sealed > 0) {
            LOG.infof("Encrypted the passwords and secrets of %d executions stored before encryption at rest", sealed);
        }
    }

    /** @return how many executions had a plaintext password or secret */
    public int run() {
        int total = 0;
        // Bounded, so a row that somehow stays unsealed cannot keep the service from starting.
        for (int round = 0; round < 10_000; round++) {
            int sealed = QuarkusTransaction.requiringNew().call(() -> {
                List<UUID> ids = executions.lockWithPlaintextSecrets(BATCH);
                for (Execution execution : executions.list("id in ?1", ids)) {
                    execution.request = secrets.sealed(execution.request);
                }
                return ids.size();
            });
            total += sealed;
            if (sealed < BATCH) {
                return total;
            }
        }
        LOG.warn("Stopped encrypting stored secrets after 10 000 batches; the rest follows at the next start");
        return total;
    }
}
