package io.hookflow.bench;

import io.hookflow.stack.KafkaBroker;
import io.hookflow.stack.Postgres;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The real Kafka broker and PostgreSQL a benchmark runs its service against, started together and closed together. */
public final class BenchStack implements AutoCloseable {

    private final KafkaBroker kafka;
    private final Postgres postgres;

    private BenchStack(KafkaBroker kafka, Postgres postgres) {
        this.kafka = kafka;
        this.postgres = postgres;
    }

    /** Starts both side by side, as each takes seconds and neither needs the other. Kafka keeps its data under workDir. */
    public static BenchStack start(Path workDir) {
        CompletableFuture<KafkaBroker> kafka =
                CompletableFuture.supplyAsync(() -> KafkaBroker.start(workDir.resolve("kafka"), 0, 0));
        Postgres postgres;
        try {
            postgres = Postgres.start(null, 0);
        } catch (RuntimeException e) {
            kafka.thenAccept(KafkaBroker::close);
            throw e;
        }
        try {
            return new BenchStack(kafka.join(), postgres);
        } catch (CompletionException e) {
            postgres.close();
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public Postgres postgres() {
        return postgres;
    }

    /** The environment a packaged service needs to reach both; the caller adds its own settings. */
    public Map<String, String> serviceEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        return env;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } finally {
            kafka.close();
        }
    }
}
