package io.hookflow.stack.testing;

import io.hookflow.stack.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One real Kafka broker per test JVM for {@code @QuarkusTest}s. It outlives Quarkus restarts between test classes and
 * stops with the JVM, so each test class pays for a broker only once.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    /** JVM-wide, because Quarkus may load this class in more than one class loader. */
    static final String BOOTSTRAP_PROPERTY = "hookflow.test.kafka.bootstrap-servers";

    private static KafkaBroker broker;

    /** The broker, started on first use. */
    public static synchronized KafkaBroker broker() {
        if (broker == null) {
            String running = System.getProperty(BOOTSTRAP_PROPERTY);
            if (running != null) {
                broker = KafkaBroker.running(running);
            } else {
                Path workDir = createTempDirectory();
                KafkaBroker started = KafkaBroker.start(workDir, 0, 0);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    started.close();
                    deleteRecursively(workDir);
                }, "kafka-test-resource-stop"));
                broker = started;
                System.setProperty(BOOTSTRAP_PROPERTY, broker.bootstrapServers());
            }
        }
        return broker;
    }

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", broker().bootstrapServers());
    }

    @Override
    public void stop() {
        // Kept for the next test class; the shutdown hook stops it.
    }

    private static Path createTempDirectory() {
        try {
            return Files.createTempDirectory("hookflow-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temp directory is harmless; the OS cleans /tmp.
        }
    }
}
