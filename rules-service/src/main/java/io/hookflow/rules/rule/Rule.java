package io.hookflow.rules.rule;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A StackStorm-shaped rule: when {@code triggerType} fires and every criterion holds, run the action. A rule in
 * {@link #SHADOW} mode is evaluated and rendered as a live one, but its request is only recorded, never sent.
 */
@Entity
@Table(name = "rule")
public class Rule {

    /** The default mode: a matching rule's request is sent. */
    public static final String LIVE = "live";
    /** A matching rule's request is recorded on its enforcement (status {@code shadowed}) and not sent. */
    public static final String SHADOW = "shadow";

    @Id
    public UUID id;

    @Column(name = "org_id", nullable = false)
    public String orgId;

    @Column(nullable = false)
    public String pack;

    @Column(nullable = false)
    public String name;

    public String description;

    @Column(nullable = false)
    public boolean enabled;

    /** {@link #LIVE} or {@link #SHADOW}. */
    @Column(nullable = false)
    public String mode = LIVE;

    /**
     * The ordering key template ({@code ordering.key}): executions with the same rendered key are delivered in
     * trigger-instance order, one at a time. Null for an unordered rule.
     */
    @Column(name = "ordering_key")
    public String orderingKey;

    /** The rule's own rate limit, requests per second; null when it has none. */
    @Column(name = "rate_limit_per_second")
    public Double rateLimitPerSecond;

    /** The rate limit's burst; null means one second's worth. */
    @Column(name = "rate_limit_burst")
    public Integer rateLimitBurst;

    @Column(name = "trigger_type", nullable = false)
    public String triggerType;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "trigger_parameters", nullable = false)
    public JsonNode triggerParameters;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public JsonNode criteria;

    @Column(name = "action_ref", nullable = false)
    public String actionRef;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "action_parameters", nullable = false)
    public JsonNode actionParameters;

    @Column(nullable = false)
    public int version;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public String ref() {
        return pack + "." + name;
    }

    /** The rate limit every task of this rule carries to delivery-service; null when it has none. */
    public io.hookflow.common.event.OutboundRequest.RateLimit rateLimit() {
        return rateLimitPerSecond == null ? null
                : new io.hookflow.common.event.OutboundRequest.RateLimit(rateLimitPerSecond, rateLimitBurst);
    }

    public boolean shadow() {
        return SHADOW.equals(mode);
    }
}
