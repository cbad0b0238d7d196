package io.hookflow.delivery.execution;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One try at delivering an execution: what was sent (redacted) and what came back, or why nothing did. */
@Entity
@Table(name = "attempt")
public class Attempt {

    @Id
    public UUID id;

    @Column(name = "execution_id", nullable = false)
    public UUID executionId;

    @Column(nullable = false)
    public int number;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "duration_ms", nullable = false)
    public long durationMs;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public JsonNode request;

    @Column(name = "response_status")
    public Integer responseStatus;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "response_headers")
    public Map<String, String> responseHeaders;

    @Column(name = "response_body")
    public String responseBody;

    public String error;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public AttemptOutcome outcome;
}
