package io.hookflow.rules.instance;

import com.fasterxml.jackson.databind.JsonNode;
import io.hookflow.common.event.TriggerEvent;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One consumed trigger event, as StackStorm records a trigger instance. Written in batches by records/RecordOutcomes. */
@Entity
@Immutable
@Table(name = "trigger_instance")
public class TriggerInstance {

    public static final String PROCESSED = "processed";
    public static final String NO_RULE_MATCHED = "no_rule_matched";
    public static final String FAILED = "failed";
    public static final String DROPPED = "dropped";

    @Id
    public String id;

    @Column(name = "org_id", nullable = false)
    public String orgId;

    @Column(nullable = false)
    public String trigger;

    /** The trigger's parameters ({@code {"url": ...}} for a rule-registered webhook); null for none. */
    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode parameters;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public JsonNode payload;

    @Column(name = "source_webhook")
    public String sourceWebhook;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;

    /** The webhook's W3C trace id; null when it arrived without one (recorded before tracing, or a system event). */
    @Column(name = "trace_id")
    public String traceId;

    @Column(nullable = false)
    public String status;

    public String reason;

    @Column(nullable = false)
    public int depth;

    /** The trigger event as enforcement saw it, rebuilt from this record. */
    public TriggerEvent asEvent() {
        return TriggerEvent.of(id, orgId, trigger, parameters, receivedAt,
                sourceWebhook == null ? null : new TriggerEvent.Source(sourceWebhook, null), payload, depth);
    }
}
