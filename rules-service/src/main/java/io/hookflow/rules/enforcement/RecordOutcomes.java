package io.hookflow.rules.enforcement;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;
import org.jboss.logging.Logger;

/**
 * Records a batch of trigger instances and their rule enforcements in one transaction, many rows per statement. Rows
 * already there (a redelivered event) are left as they are, so each (trigger instance, rule) is recorded once.
 * While the database is away it keeps trying: the events stay uncommitted on the broker meanwhile.
 */
@ApplicationScoped
public class RecordOutcomes {

    private static final Logger LOG = Logger.getLogger(RecordOutcomes.class);
    /** Rows per INSERT: large enough to amortise the round trip, far below PostgreSQL's 65535 parameters. */
    static final int ROWS_PER_STATEMENT = 200;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** A trigger instance to record. */
    public record InstanceRow(String id, String orgId, String trigger, String payloadJson, String sourceWebhook,
                              Instant receivedAt, String status, String reason, int depth) {
    }

    /** A rule enforcement to record. */
    public record EnforcementRow(UUID id, String orgId, String triggerInstanceId, UUID ruleId, String ruleRef, String status,
                                 String executionId, String failureReason) {
    }

    private final EntityManager em;

    RecordOutcomes(EntityManager em) {
        this.em = em;
    }

    public void record(List<InstanceRow> instances, List<EnforcementRow> enforcements) {
        Duration backoff = Duration.ofMillis(200);
        while (true) {
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    Instant now = Instant.now();
                    for (int from = 0; from < instances.size(); from += ROWS_PER_STATEMENT) {
                        insertInstances(instances.subList(from, Math.min(instances.size(), from + ROWS_PER_STATEMENT)), now);
                    }
                    for (int from = 0; from < enforcements.size(); from += ROWS_PER_STATEMENT) {
                        insertEnforcements(enforcements.subList(from, Math.min(enforcements.size(), from + ROWS_PER_STATEMENT)), now);
                    }
                });
                return;
            } catch (RuntimeException e) {
                LOG.warnf("Could not record %d trigger instance(s), retrying in %s: %s", instances.size(), backoff, e.toString());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the database", interrupted);
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    private void insertInstances(List<InstanceRow> rows, Instant now) {
        StringBuilder sql = new StringBuilder("insert into {h-schema}trigger_instance (id, org_id, trigger, payload, "
                + "source_webhook, received_at, recorded_at, status, reason, depth) values ");
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:id").append(i).append(", :org").append(i).append(", :trigger").append(i)
                    .append(", cast(:payload").append(i).append(" as jsonb), :source").append(i).append(", :received").append(i)
                    .append(", :now, :status").append(i).append(", :reason").append(i).append(", :depth").append(i).append(')');
        }
        sql.append(" on conflict (id) do nothing");
        @SuppressWarnings("unchecked")
        NativeQuery<Object> query = em.createNativeQuery(sql.toString()).unwrap(NativeQuery.class);
        query.setParameter("now", now, StandardBasicTypes.INSTANT);
        for (int i = 0; i < rows.size(); i++) {
            InstanceRow row = rows.get(i);
            query.setParameter("id" + i, row.id(), StandardBasicTypes.STRING);
            query.setParameter("org" + i, row.orgId(), StandardBasicTypes.STRING);
            query.setParameter("trigger" + i, row.trigger(), StandardBasicTypes.STRING);
            query.setParameter("payload" + i, row.payloadJson(), StandardBasicTypes.STRING);
            query.setParameter("source" + i, row.sourceWebhook(), StandardBasicTypes.STRING);
            query.setParameter("received" + i, row.receivedAt(), StandardBasicTypes.INSTANT);
            query.setParameter("status" + i, row.status(), StandardBasicTypes.STRING);
            query.setParameter("reason" + i, row.reason(), StandardBasicTypes.STRING);
            query.setParameter("depth" + i, row.depth(), StandardBasicTypes.INTEGER);
        }
        ((Query) query).executeUpdate();
    }

    private void insertEnforcements(List<EnforcementRow> rows, Instant now) {
        StringBuilder sql = new StringBuilder("insert into {h-schema}rule_enforcement (id, org_id, trigger_instance_id, "
                + "rule_id, rule_ref, status, execution_id, failure_reason, created_at) values ");
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:id").append(i).append(", :org").append(i).append(", :instance").append(i)
                    .append(", :rule").append(i).append(", :ref").append(i).append(", :status").append(i)
                    .append(", :execution").append(i).append(", :reason").append(i).append(", :now)");
        }
        // Conflicts on the id or on (trigger_instance_id, rule_id) mean the same enforcement: keep the first.
        sql.append(" on conflict do nothing");
        @SuppressWarnings("unchecked")
        NativeQuery<Object> query = em.createNativeQuery(sql.toString()).unwrap(NativeQuery.class);
        query.setParameter("now", now, StandardBasicTypes.INSTANT);
        for (int i = 0; i < rows.size(); i++) {
            EnforcementRow row = rows.get(i);
            query.setParameter("id" + i, row.id(), StandardBasicTypes.UUID);
            query.setParameter("org" + i, row.orgId(), StandardBasicTypes.STRING);
            query.setParameter("instance" + i, row.triggerInstanceId(), StandardBasicTypes.STRING);
            query.setParameter("rule" + i, row.ruleId(), StandardBasicTypes.UUID);
            query.setParameter("ref" + i, row.ruleRef(), StandardBasicTypes.STRING);
            query.setParameter("status" + i, row.status(), StandardBasicTypes.STRING);
            query.setParameter("execution" + i, row.executionId(), StandardBasicTypes.STRING);
            query.setParameter("reason" + i, row.failureReason(), StandardBasicTypes.STRING);
        }
        ((Query) query).executeUpdate();
    }
}
