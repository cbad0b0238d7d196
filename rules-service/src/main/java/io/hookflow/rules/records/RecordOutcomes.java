package io.hookflow.rules.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hookflow.common.retry.Backoff;
import io.hookflow.rules.progress.EnforcementProgress;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Records a batch of trigger instances and their rule enforcements in one transaction: one statement per table, the
 * rows travelling as one JSON array that PostgreSQL unpacks ({@code jsonb_to_recordset}), which costs far less than
 * thousands of bind parameters. Rows already there (a redelivered event) are left as they are, so each (trigger
 * instance, rule) is recorded once. While the database is away it keeps trying: the events stay uncommitted on the
 * broker meanwhile.
 */
@ApplicationScoped
public class RecordOutcomes {

    private static final Logger LOG = Logger.getLogger(RecordOutcomes.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    static final String INSERT_INSTANCES = """
            insert into {h-schema}trigger_instance (id, org_id, trigger, parameters, payload, source_webhook, received_at,
                                                    recorded_at, status, reason, depth, trace_id)
            select r.id, r.org_id, r.trigger, r.parameters, coalesce(r.payload, cast('{}' as jsonb)), r.source_webhook,
                   r.received_at, cast(:now as timestamptz), r.status, r.reason, r.depth, r.trace_id
            from jsonb_to_recordset(cast(:rows as jsonb)) as r(id text, org_id text, trigger text, parameters jsonb,
                 payload jsonb,
                 source_webhook text, received_at timestamptz, status text, reason text, depth integer, trace_id text)
            on conflict (id) do nothing""";

    // Conflicts on the id or on (trigger_instance_id, rule_id) mean the same enforcement: keep the first.
    static final String INSERT_ENFORCEMENTS = """
            insert into {h-schema}rule_enforcement (id, org_id, trigger_instance_id, rule_id, rule_ref, status, execution_id,
                                                    failure_reason, request, created_at, trace_id)
            select r.id, r.org_id, r.trigger_instance_id, r.rule_id, r.rule_ref, r.status, r.execution_id, r.failure_reason,
                   r.request, cast(:now as timestamptz), r.trace_id
            from jsonb_to_recordset(cast(:rows as jsonb)) as r(id uuid, org_id text, trigger_instance_id text, rule_id uuid,
                 rule_ref text, status text, execution_id text, failure_reason text, request jsonb, trace_id text)
            on conflict do nothing""";

    /** A trigger instance to record. */
    public record InstanceRow(String id, String orgId, String trigger, JsonNode parameters, JsonNode payload, String sourceWebhook,
                              Instant receivedAt, String status, String reason, int depth, String traceId) {
    }

    /**
     * A rule enforcement to record.
     *
     * @param request the rendered request of a shadowed enforcement (secrets sealed as on action-tasks); else null
     */
    public record EnforcementRow(UUID id, String orgId, String triggerInstanceId, UUID ruleId, String ruleRef, String status,
                                 String executionId, String failureReason, JsonNode request, String traceId) {
    }

    private final EntityManager em;
    private final EnforcementProgress progress;

    RecordOutcomes(EntityManager em, EnforcementProgress progress) {
        this.em = em;
        this.progress = progress;
    }

    public void record(List<InstanceRow> instances, List<EnforcementRow> enforcements) {
        String instanceRows = instances.isEmpty() ? null : withoutNul(instancesJson(instances));
        String enforcementRows = enforcements.isEmpty() ? null : withoutNul(enforcementsJson(enforcements));
        Backoff backoff = new Backoff(Duration.ofMillis(200), MAX_BACKOFF);
        Object batch = new Object();
        while (true) {
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    String now = Instant.now().toString();
                    if (instanceRows != null) {
                        em.createNativeQuery(INSERT_INSTANCES).setParameter("rows", instanceRows).setParameter("now", now)
                                .executeUpdate();
                    }
                    if (enforcementRows != null) {
                        em.createNativeQuery(INSERT_ENFORCEMENTS).setParameter("rows", enforcementRows)
                                .setParameter("now", now).executeUpdate();
                    }
                });
                progress.done(batch);
                return;
            } catch (RuntimeException e) {
                Duration delay = backoff.next();
                LOG.warnf("Could not record %d trigger instance(s), retrying in %s: %s", instances.size(), delay, e.toString());
                progress.failing(batch, "recording trigger instances: " + e);
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException interrupted) {
                    progress.done(batch);
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the database", interrupted);
                }
            }
        }
    }

    static String instancesJson(List<InstanceRow> rows) {
        ArrayNode array = NODES.arrayNode(rows.size());
        for (InstanceRow row : rows) {
            ObjectNode node = array.addObject();
            node.put("id", row.id());
            node.put("org_id", row.orgId());
            node.put("trigger", row.trigger());
            if (row.parameters() != null) {
                node.set("parameters", row.parameters());
            }
            node.set("payload", row.payload() == null || row.payload().isMissingNode() ? NODES.objectNode() : row.payload());
            node.put("source_webhook", row.sourceWebhook());
            node.put("received_at", row.receivedAt().toString());
            node.put("status", row.status());
            node.put("reason", row.reason());
            node.put("depth", row.depth());
            node.put("trace_id", row.traceId());
        }
        return array.toString();
    }

    static String enforcementsJson(List<EnforcementRow> rows) {
        ArrayNode array = NODES.arrayNode(rows.size());
        for (EnforcementRow row : rows) {
            ObjectNode node = array.addObject();
            node.put("id", row.id().toString());
            node.put("org_id", row.orgId());
            node.put("trigger_instance_id", row.triggerInstanceId());
            node.put("rule_id", row.ruleId().toString());
            node.put("rule_ref", row.ruleRef());
            node.put("status", row.status());
            node.put("execution_id", row.executionId());
            node.put("failure_reason", row.failureReason());
            if (row.request() != null) {
                node.set("request", row.request());
            }
            node.put("trace_id", row.traceId());
        }
        return array.toString();
    }

    /**
     * PostgreSQL's jsonb cannot hold the NUL character (escaped {@code \\u0000}): it is recorded as U+FFFD instead of
     * failing the batch. Only an odd run of backslashes before {@code u0000} is an escape.
     */
    static String withoutNul(String json) {
        if (!json.contains("\\u0000")) {
            return json;
        }
        StringBuilder out = new StringBuilder(json.length());
        int i = 0;
        while (i < json.length()) {
            char c = json.charAt(i);
            if (c != '\\' || i + 1 >= json.length()) {
                out.append(c);
                i++;
            } else if (json.startsWith("u0000", i + 1)) {
                out.append("\\ufffd");
                i += 6;
            } else {
                // Any other escape is copied whole, so "\\\\u0000" (a backslash, then text) stays as it is.
                int length = json.charAt(i + 1) == 'u' ? 6 : 2;
                out.append(json, i, Math.min(json.length(), i + length));
                i += length;
            }
        }
        return out.toString();
    }
}
