package io.hookflow.rules.datastore;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class KeyValueRepository implements PanacheRepositoryBase<KeyValue, KeyValue.Id> {

    /** The live keys of an organisation, optionally of one scope, one user and a name prefix, by name. */
    public List<KeyValue> search(String orgId, Scope scope, String user, String prefix, Instant now) {
        StringBuilder query = new StringBuilder("id.orgId = :orgId and (expiresAt is null or expiresAt > :now)");
        Parameters params = Parameters.with("orgId", orgId).and("now", now);
        if (scope != null) {
            query.append(" and id.scope = :scope");
            params.and("scope", scope.wire());
        }
        if (user != null) {
            query.append(" and id.user = :user");
            params.and("user", user);
        }
        if (prefix != null && !prefix.isEmpty()) {
            // Not LIKE, so '%' and '_' in a prefix mean themselves.
            query.append(" and substring(id.name, 1, length(:prefix)) = :prefix");
            params.and("prefix", prefix);
        }
        return list(query.toString(), Sort.by("id.scope").and("id.user").and("id.name"), params.map());
    }

    public long countLive(String orgId, Instant now) {
        return count("id.orgId = ?1 and (expiresAt is null or expiresAt > ?2)", orgId, now);
    }

    public long deleteExpired(Instant now) {
        return delete("expiresAt <= ?1", now);
    }

    /** Every live key of every organisation, for the in-memory view templates read. */
    public List<KeyValue> listLive(Instant now) {
        return list("expiresAt is null or expiresAt > ?1", now);
    }

    /** Takes the next revision, holding the row's lock until the calling transaction ends. */
    public long nextRevision() {
        getEntityManager().createNativeQuery("update {h-schema}key_value_revision set revision = revision + 1 where id = 1")
                .executeUpdate();
        return revision();
    }

    public long revision() {
        return ((Number) getEntityManager().createNativeQuery("select revision from {h-schema}key_value_revision where id = 1")
                .getSingleResult()).longValue();
    }
}
