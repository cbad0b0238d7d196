package io.hookflow.rules.records;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One (trigger instance, matched rule): the execution it produced, or why it failed; for a shadow rule, the request it
 * would have sent. At most one per pair.
 */
@Entity
@Immutable
@Table(name = "rule_enforcement")
public class RuleEnforcement {

    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    /** A shadow rule matched and rendered its request; it was recorded here and not sent. */
    public static final String SHADOWED = "shadowed";

    @Id
    public UUID id;

    @Column(name = "org_id", nullable = false)
    public String orgId;

    @Column(name = "trigger_instance_id", nullable = false)
    public String triggerInstanceId;

    @Column(name = "rule_id", nullable = false)
    public UUID ruleId;

    @Column(name = "rule_ref", nullable = false)
    public String ruleRef;

    @Column(nullable = false)
    public String status;

    @Column(name = "execution_id")
    public String executionId;

    @Column(name = "failure_reason")
    public String failureReason;

    /** The request a shadow rule would have sent (secrets as ciphertext or sealed placeholders); null otherwise. */
    @JdbcTypeCode(SqlTypes.JSON)
    public JsonNode request;

    /** The webhook's W3C trace id; null when it arrived without one (recorded before tracing, or a system event). */
    @Column(name = "trace_id")
    public String traceId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** Deterministic, so a redelivered trigger event finds the enforcement it already recorded. */
    public static UUID idFor(String triggerInstanceId, UUID ruleId) {
        return UUID.nameUUIDFromBytes(("enforcement/" + triggerInstanceId + "/" + ruleId)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
