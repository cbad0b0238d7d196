package io.hookflow.ingest.auth;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class ApiKeyRepository implements PanacheRepositoryBase<ApiKey, UUID> {

    /** Scoped to the organisation: another organisation's key is simply not there. */
    public Optional<ApiKey> findInOrg(String orgId, UUID id) {
        return find("orgId = ?1 and id = ?2", orgId, id).firstResultOptional();
    }

    public List<ApiKey> listInOrg(String orgId) {
        return list("orgId", Sort.by("audit.createdOn").and("id"), orgId);
    }
}
