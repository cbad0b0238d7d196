package io.hookflow.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresTest {

    @Test
    void shouldAnswerQueriesAndRemoveItsTemporaryDataOnClose() throws Exception {
        Path data;
        try (Postgres postgres = Postgres.start(null, 0)) {
            assertEquals(1, queryInt(postgres, "select 1"));
            data = Path.of(queryString(postgres, "show data_directory"));
        }
        assertFalse(Files.exists(data), data + " should be gone");
    }

    @Test
    void shouldKeepDataInAGivenDirectoryAcrossRestarts(@TempDir Path dir) throws Exception {
        try (Postgres postgres = Postgres.start(dir.resolve("pg"), 0)) {
            execute(postgres, "create table kept (n int); insert into kept values (42)");
        }
        try (Postgres postgres = Postgres.start(dir.resolve("pg"), 0)) {
            assertEquals(42, queryInt(postgres, "select n from kept"));
        }
    }

    @Test
    void shouldComeBackOnTheSamePortWithItsDataAfterARestart() throws Exception {
        Postgres postgres = Postgres.start(null, 0);
        try {
            execute(postgres, "create table kept (n int); insert into kept values (7)");
            String url = postgres.jdbcUrl();
            postgres = postgres.restart();
            assertEquals(url, postgres.jdbcUrl());
            assertEquals(7, queryInt(postgres, "select n from kept"));
        } finally {
            postgres.close();
        }
    }

    private static int queryInt(Postgres postgres, String sql) throws Exception {
        return Integer.parseInt(queryString(postgres, sql));
    }

    private static String queryString(Postgres postgres, String sql) throws Exception {
        try (Connection connection = connect(postgres); ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static void execute(Postgres postgres, String sql) throws Exception {
        try (Connection connection = connect(postgres)) {
            connection.createStatement().execute(sql);
        }
    }

    private static Connection connect(Postgres postgres) throws Exception {
        Properties credentials = new Properties();
        credentials.setProperty("user", postgres.username());
        credentials.setProperty("password", postgres.password());
        return new org.postgresql.Driver().connect(postgres.jdbcUrl(), credentials);
    }
}
