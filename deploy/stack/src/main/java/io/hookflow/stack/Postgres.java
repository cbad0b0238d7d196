package io.hookflow.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server from the zonky binaries jar. Zonky runs initdb and pg_ctl under {@code unshare -U} when we
 * are root (PostgreSQL refuses to run as root), so the same code works for root in a container and for a normal user.
 */
public final class Postgres implements AutoCloseable {

    static final String DATABASE = "hookflow";
    static final String USER = "postgres";
    static final int ATTEMPTS = 3;

    private final EmbeddedPostgres server;
    private final Path tempDir;
    private final Path dataDir;
    private final Path log;
    /** Set once restarted: the new handle owns the server and the temporary directory from then on. */
    private volatile boolean spent;

    private Postgres(EmbeddedPostgres server, Path tempDir, Path dataDir, Path log) {
        this.server = server;
        this.tempDir = tempDir;
        this.dataDir = dataDir;
        this.log = log;
    }

    /**
     * Starts PostgreSQL with its data in dataDir (kept, and reused on the next start) or, when dataDir is null, in a
     * temporary directory removed on close. Port 0 means any free port. The server log goes next to the data directory.
     */
    public static Postgres start(Path dataDir, int port) {
        Path tempDir = null;
        try {
            if (dataDir == null) {
                tempDir = Files.createTempDirectory("hookflow-pg-");
            }
            Path data = dataDir != null ? dataDir.toAbsolutePath() : tempDir.resolve("data");
            Path log = data.resolveSibling(data.getFileName() + ".log");
            Files.createDirectories(data.getParent());
            EmbeddedPostgres server = startServer(data, port, log);
            createDatabaseIfMissing(server);
            return new Postgres(server, tempDir, data, log);
        } catch (IOException | SQLException | RuntimeException e) {
            deleteRecursively(tempDir);
            throw new IllegalStateException("could not start PostgreSQL" + (dataDir != null ? " in " + dataDir : ""), e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + DATABASE;
    }

    public String username() {
        return USER;
    }

    /** initdb uses trust authentication on loopback; the password only satisfies clients that insist on one. */
    public String password() {
        return "postgres";
    }

    public int port() {
        return server.getPort();
    }

    /**
     * Stops the server (fast shutdown: open sessions are cut, their transactions rolled back) and starts it again on
     * the same port with the same data, as a database failover or a restarted pod would; clients reconnect to the
     * same address. Returns the handle of the new server; this one is spent.
     */
    public Postgres restart() {
        spent = true;
        try {
            server.close();
            return new Postgres(startServer(dataDir, server.getPort(), log), tempDir, dataDir, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not restart PostgreSQL in " + dataDir, e);
        }
    }

    @Override
    public void close() {
        if (spent) {
            return;
        }
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop PostgreSQL", e);
        } finally {
            deleteRecursively(tempDir);
        }
    }

    @Override
    public String toString() {
        return "Postgres[" + jdbcUrl() + "]";
    }

    private static EmbeddedPostgres startServer(Path data, int port, Path log) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                return EmbeddedPostgres.builder()
                        .setDataDirectory(data)
                        // A data directory is reused as it is (zonky runs initdb only when it has no postgresql.conf) and
                        // never deleted by zonky, so a restart finds its data; close() removes a temporary one.
                        .setCleanDataDirectory(false)
                        .setPort(port == 0 ? Ports.free() : port)
                        .setServerConfig("listen_addresses", "localhost")
                        // Durable like a production database (zonky defaults to fsync and synchronous_commit off):
                        // the local runner must not lose what it accepted, and benchmarks must pay for real commits.
                        .setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .setPGStartupWait(Duration.ofSeconds(60))
                        // Our owners stop us in a known order; zonky's own hook would race them.
                        .setRegisterShutdownHook(false)
                        .setOutputRedirector(Redirect.appendTo(log.toFile()))
                        .setErrorRedirector(Redirect.appendTo(log.toFile()))
                        .start();
            } catch (IOException | RuntimeException e) {
                // A free port can be taken between our check and the server's bind: try another one.
                if (port != 0 || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static void createDatabaseIfMissing(EmbeddedPostgres server) throws SQLException {
        String url = "jdbc:postgresql://localhost:" + server.getPort() + "/postgres";
        Properties credentials = new Properties();
        credentials.setProperty("user", USER);
        // The driver directly: DriverManager may not see it from a Quarkus test class loader.
        try (Connection connection = new org.postgresql.Driver().connect(url, credentials);
             Statement statement = connection.createStatement()) {
            boolean exists = statement.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'").next();
            if (!exists) {
                statement.execute("create database " + DATABASE);
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temp directory is harmless; the OS cleans /tmp.
        }
    }
}
