package io.hookflow.stack.testing;

import io.hookflow.stack.Postgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * One real PostgreSQL server per test JVM for {@code @QuarkusTest}s, in a temporary data directory. It outlives Quarkus
 * restarts between test classes and stops with the JVM.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    /** JVM-wide, because Quarkus may load this class in more than one class loader. */
    static final String URL_PROPERTY = "hookflow.test.postgres.jdbc-url";

    private static Postgres postgres;

    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl(),
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres");
    }

    @Override
    public void stop() {
        // Kept for the next test class; the shutdown hook stops it.
    }

    /** The JDBC URL of the server, started on first use. */
    public static synchronized String jdbcUrl() {
        String running = System.getProperty(URL_PROPERTY);
        if (running != null) {
            return running;
        }
        postgres = Postgres.start(null, 0);
        Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "postgres-test-resource-stop"));
        System.setProperty(URL_PROPERTY, postgres.jdbcUrl());
        return postgres.jdbcUrl();
    }
}
