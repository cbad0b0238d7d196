package io.hookflow.rules.rule;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class RuleRepository implements PanacheRepositoryBase<Rule, UUID> {

    /** The rules an event of this trigger type may fire. */
    public List<Rule> listEnabledForTrigger(String orgId, String triggerType) {
        return list("orgId = ?1 and triggerType = ?2 and enabled = true", orgId, triggerType);
    }

    /** A rule by its ref ({@code pack.name}) or its id, as StackStorm's {@code ref_or_id}. */
    public Optional<Rule> findByRefOrId(String orgId, String refOrId) {
        Optional<UUID> id = parseUuid(refOrId);
        if (id.isPresent()) {
            return find("orgId = ?1 and id = ?2", orgId, id.get()).firstResultOptional();
        }
        int dot = refOrId.indexOf('.');
        if (dot <= 0 || dot == refOrId.length() - 1) {
            return Optional.empty();
        }
        return find("orgId = ?1 and pack = ?2 and name = ?3", orgId, refOrId.substring(0, dot), refOrId.substring(dot + 1))
                .firstResultOptional();
    }

    public boolean refTaken(String orgId, String pack, String name) {
        return count("orgId = ?1 and pack = ?2 and name = ?3", orgId, pack, name) > 0;
    }

    /** Null filters match every rule; {@code mode} is {@link Rule#LIVE} or {@link Rule#SHADOW}. */
    public List<Rule> search(String orgId, String pack, String triggerType, Boolean enabled, String mode) {
        StringBuilder query = new StringBuilder("orgId = :orgId");
        Parameters params = Parameters.with("orgId", orgId);
        if (pack != null) {
            query.append(" and pack = :pack");
            params.and("pack", pack);
        }
        if (triggerType != null) {
            query.append(" and triggerType = :triggerType");
            params.and("triggerType", triggerType);
        }
        if (enabled != null) {
            query.append(" and enabled = :enabled");
            params.and("enabled", enabled);
        }
        if (mode != null) {
            query.append(" and mode = :mode");
            params.and("mode", mode);
        }
        return list(query.toString(), Sort.by("pack").and("name"), params);
    }

    private static Optional<UUID> parseUuid(String value) {
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
