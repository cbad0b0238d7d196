package io.hookflow.rules.rule;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * The one counter every rule change bumps (table rule_revision). Bumping locks its row until the transaction ends, so
 * rule changes from all replicas are serialised and their rule-changes records carry growing revisions; reading it is
 * how a replica notices another replica's change.
 */
@ApplicationScoped
public class RuleRevisions {

    private final EntityManager em;

    RuleRevisions(EntityManager em) {
        this.em = em;
    }

    /** Takes the next revision, holding the lock until the calling transaction ends. */
    public long next() {
        em.createNativeQuery("update {h-schema}rule_revision set revision = revision + 1 where id = 1").executeUpdate();
        return current();
    }

    /** Waits for every other change to finish and keeps them out until the calling transaction ends. */
    public long lock() {
        return ((Number) em.createNativeQuery("select revision from {h-schema}rule_revision where id = 1 for update")
                .getSingleResult()).longValue();
    }

    public long current() {
        return ((Number) em.createNativeQuery("select revision from {h-schema}rule_revision where id = 1")
                .getSingleResult()).longValue();
    }
}
