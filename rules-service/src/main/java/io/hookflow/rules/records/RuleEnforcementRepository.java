package io.hookflow.rules.records;

import io.hookflow.common.paging.PageQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class RuleEnforcementRepository implements PanacheRepositoryBase<RuleEnforcement, UUID> {

    public Optional<RuleEnforcement> findForOrg(String orgId, UUID id) {
        return find("orgId = ?1 and id = ?2", orgId, id).firstResultOptional();
    }

    /**
     * Newest first; {@code rule} is a rule id or ref, the cursor the last row of the previous page.
     */
    public List<RuleEnforcement> search(String orgId, String rule, String triggerInstanceId, Instant since, Instant until,
                                        PageQuery.Cursor after, int limit) {
        StringBuilder query = new StringBuilder("orgId = :orgId");
        Parameters params = Parameters.with("orgId", orgId);
        if (rule != null) {
            Optional<UUID> ruleId = uuid(rule);
            if (ruleId.isPresent()) {
                query.append(" and ruleId = :ruleId");
                params.and("ruleId", ruleId.get());
            } else {
                query.append(" and ruleRef = :ruleRef");
                params.and("ruleRef", rule);
            }
        }
        if (triggerInstanceId != null) {
            query.append(" and triggerInstanceId = :instance");
            params.and("instance", triggerInstanceId);
        }
        if (since != null) {
            query.append(" and createdAt >= :since");
            params.and("since", since);
        }
        if (until != null) {
            query.append(" and createdAt < :until");
            params.and("until", until);
        }
        if (after != null) {
            query.append(" and (createdAt < :afterTime or (createdAt = :afterTime and id < :afterId))");
            params.and("afterTime", after.time()).and("afterId", UUID.fromString(after.id()));
        }
        query.append(" order by createdAt desc, id desc");
        return find(query.toString(), params).page(0, limit).list();
    }

    static Optional<UUID> uuid(String value) {
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
