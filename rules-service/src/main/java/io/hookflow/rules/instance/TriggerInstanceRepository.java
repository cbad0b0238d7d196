package io.hookflow.rules.instance;

import io.hookflow.common.paging.PageQuery;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class TriggerInstanceRepository implements PanacheRepositoryBase<TriggerInstance, String> {

    public Optional<TriggerInstance> findForOrg(String orgId, String id) {
        return find("orgId = ?1 and id = ?2", orgId, id).firstResultOptional();
    }

    /** Newest first; the cursor is the last row of the previous page. */
    public List<TriggerInstance> search(String orgId, String trigger, String status, Instant since, Instant until,
                                        PageQuery.Cursor after, int limit) {
        StringBuilder query = new StringBuilder("orgId = :orgId");
        Parameters params = Parameters.with("orgId", orgId);
        if (trigger != null) {
            query.append(" and trigger = :trigger");
            params.and("trigger", trigger);
        }
        if (status != null) {
            query.append(" and status = :status");
            params.and("status", status);
        }
        if (since != null) {
            query.append(" and receivedAt >= :since");
            params.and("since", since);
        }
        if (until != null) {
            query.append(" and receivedAt < :until");
            params.and("until", until);
        }
        if (after != null) {
            query.append(" and (receivedAt < :afterTime or (receivedAt = :afterTime and id < :afterId))");
            params.and("afterTime", after.time()).and("afterId", after.id());
        }
        query.append(" order by receivedAt desc, id desc");
        return find(query.toString(), params).page(0, limit).list();
    }

    /** The newest instances of a trigger type, for "execute now" to find one a rule matches. */
    public List<TriggerInstance> latest(String orgId, String trigger, int limit) {
        return find("orgId = ?1 and trigger = ?2 order by receivedAt desc, id desc", orgId, trigger).page(0, limit).list();
    }
}
