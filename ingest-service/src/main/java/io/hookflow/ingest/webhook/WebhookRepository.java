package io.hookflow.ingest.webhook;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class WebhookRepository implements PanacheRepositoryBase<Webhook, UUID> {

    /** Scoped to the organisation: another organisation's webhook is simply not there. */
    public Optional<Webhook> findInOrg(String orgId, UUID id) {
        return find("orgId = ?1 and id = ?2", orgId, id).firstResultOptional();
    }

    public List<Webhook> listInOrg(String orgId) {
        return list("orgId", Sort.by("audit.createdOn").and("id"), orgId);
    }
}
