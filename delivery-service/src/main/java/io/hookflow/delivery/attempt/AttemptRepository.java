package io.hookflow.delivery.attempt;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class AttemptRepository implements PanacheRepositoryBase<Attempt, UUID> {

    public List<Attempt> listForExecution(UUID executionId) {
        return list("executionId = ?1 order by number", executionId);
    }
}
