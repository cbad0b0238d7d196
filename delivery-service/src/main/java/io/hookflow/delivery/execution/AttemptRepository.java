package io.hookflow.delivery.execution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookflow.delivery.config.Jdbc;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Types;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class AttemptRepository implements PanacheRepositoryBase<Attempt, UUID> {

    private final Jdbc jdbc;
    private final ObjectMapper mapper;

    AttemptRepository(Jdbc jdbc, ObjectMapper mapper) {
        this.jdbc = jdbc;
        this.mapper = mapper;
    }

    public List<Attempt> listForExecution(UUID executionId) {
        return list("executionId = ?1 order by number", executionId);
    }

    /** Inserts a batch of finished attempts with one JDBC batch; must run in a transaction. */
    public void insertAll(List<Attempt> attempts) {
        jdbc.batch("""
                insert into {schema}.attempt (id, execution_id, number, started_at, duration_ms, request, response_status,
                        response_headers, response_body, error, outcome)
                values (?, ?, ?, ?, ?, cast(? as jsonb), ?, cast(? as jsonb), ?, ?, ?)""", attempts, (statement, attempt) -> {
                    statement.setObject(1, attempt.id);
                    statement.setObject(2, attempt.executionId);
                    statement.setInt(3, attempt.number);
                    Jdbc.setInstant(statement, 4, attempt.startedAt);
                    statement.setLong(5, attempt.durationMs);
                    statement.setString(6, json(attempt.request));
                    statement.setObject(7, attempt.responseStatus, Types.INTEGER);
                    statement.setString(8, attempt.responseHeaders == null ? null : json(attempt.responseHeaders));
                    statement.setString(9, attempt.responseBody);
                    statement.setString(10, attempt.error);
                    statement.setString(11, attempt.outcome.name());
                });
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an attempt's request and headers are always serialisable", e);
        }
    }
}
