package io.hookflow.delivery.execution;

import io.hookflow.common.event.OutboundRequest;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One task being delivered, with the state the worker needs to resume it after any crash. */
@Entity
@Table(name = "execution")
// Claims and verdicts change a few columns of many rows: write those, not the request document every time.
@DynamicUpdate
public class Execution {

    @Id
    public UUID id;

    @Column(name = "org_id", nullable = false)
    public String orgId;

    @Column(name = "rule_id")
    public String ruleId;

    @Column(name = "rule_ref")
    public String ruleRef;

    @Column(name = "trigger_instance_id")
    public String triggerInstanceId;

    @Column(name = "trigger_type")
    public String triggerType;

    @Column(name = "action_ref", nullable = false)
    public String actionRef;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ExecutionStatus status;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public OutboundRequest request;

    @Column(name = "destination_host")
    public String destinationHost;

    /** host:port: the unit of the per-destination concurrency limit and of the circuit breaker. */
    @Column
    public String destination;

    /** Parked by an open circuit: due again as soon as the circuit closes. */
    @Column(name = "circuit_parked", nullable = false)
    public boolean circuitParked;

    @Column(name = "attempt_count", nullable = false)
    public int attemptCount;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    /** While RUNNING: the time after which another worker may assume this one died and take the execution over. */
    @Column(name = "lease_expires_at")
    public Instant leaseExpiresAt;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** The causing task's depth, passed on in status events so rule chains stay bounded. */
    @Column(nullable = false)
    public int depth;

    /**
     * The ordered lane ({@code <rule id>:<ordering key>}) this execution waits its turn in; null when unordered. See
     * docs/delivery.md, Ordered lanes.
     */
    @Column(name = "lane", updatable = false)
    public String lane;

    /** Its place in the lane, given at intake in intake order (the database's execution_lane_seq); null when unordered. */
    @Column(name = "lane_seq", insertable = false, updatable = false)
    public Long laneSeq;

    /** The webhook's W3C trace id, from the task record's traceparent; null when it came without one. */
    @Column(name = "trace_id")
    public String traceId;

    /** The W3C traceparent of the delivery's intake span: every attempt's span is its child. */
    @Column(name = "traceparent")
    public String traceparent;
}
