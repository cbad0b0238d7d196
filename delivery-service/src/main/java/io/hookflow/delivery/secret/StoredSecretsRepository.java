package io.hookflow.delivery.secret;

import io.hookflow.delivery.execution.Execution;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Executions as the migration to encrypted secrets at rest reads them. */
@ApplicationScoped
public class StoredSecretsRepository implements PanacheRepositoryBase<Execution, UUID> {

    /** Executions whose stored request still holds a password or secret in the clear, locked; at most {@code limit}. */
    @SuppressWarnings("unchecked")
    public List<UUID> lockWithPlaintextSecrets(int limit) {
        return getEntityManager().createNativeQuery("""
                        select id from {h-schema}execution
                        where (request ->> 'password' <> '' and request ->> 'password' not like 'enc:v1:%')
                           or (request ->> 'secret' <> '' and request ->> 'secret' not like 'enc:v1:%')
                        limit :limit
                        for update skip locked""", UUID.class)
                .setParameter("limit", limit)
                .getResultList();
    }
}
