package io.hookflow.delivery.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;
import org.hibernate.jdbc.ReturningWork;

/**
 * Plain JDBC on the current transaction's connection, for the per-delivery statements: one fixed SQL text per
 * statement (prepared once by PostgreSQL, parsed once by the driver) and JDBC batches sent in one round trip, instead
 * of entities loaded, dirty-checked and written back, or SQL generated per batch size.
 */
@ApplicationScoped
public class Jdbc {

    private final EntityManager entityManager;
    private final String schema;

    Jdbc(EntityManager entityManager,
         @ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema") String schema) {
        this.entityManager = entityManager;
        this.schema = schema;
    }

    /** {@code {schema}} in the SQL becomes the service's schema, where Hibernate looks too. */
    public String sql(String sql) {
        return sql.replace("{schema}", schema);
    }

    /** Runs {@code work} on the connection of the caller's transaction (Hibernate's own, so both see each other's rows). */
    public <T> T work(ReturningWork<T> work) {
        return entityManager.unwrap(Session.class).doReturningWork(work);
    }

    /** One statement per row, sent as one JDBC batch; the rows' update counts. */
    public <R> int[] batch(String sql, List<R> rows, Binder<R> binder) {
        if (rows.isEmpty()) {
            return new int[0];
        }
        return work(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql(sql))) {
                for (R row : rows) {
                    binder.bind(statement, row);
                    statement.addBatch();
                }
                return statement.executeBatch();
            }
        });
    }

    public static void setInstant(PreparedStatement statement, int index, Instant instant) throws SQLException {
        statement.setObject(index, instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC),
                Types.TIMESTAMP_WITH_TIMEZONE);
    }

    public static Array uuids(Connection connection, List<?> ids) throws SQLException {
        return connection.createArrayOf("uuid", ids.toArray());
    }

    /** Sets one row's parameters. */
    @FunctionalInterface
    public interface Binder<R> {
        void bind(PreparedStatement statement, R row) throws SQLException;
    }
}
