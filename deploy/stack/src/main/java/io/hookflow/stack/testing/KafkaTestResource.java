package io.hookflow.stack.testing;

import io.hookflow.stack.KafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One real Kafka broker per test JVM for {@code @QuarkusTest}s. It outlives Quarkus restarts between test classes and
 * stops with the JVM, so each test class pays for a broker only once.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    /** JVM-wide, because Quarkus may load this class in more than one class loader. */
    static final String BOOTSTRAP_PROPERTY = "hookflow.test.kafka.bootstrap-servers";
    /** Where the broker keeps its data, its controller port and its process, for {@link #restartBroker}. */
    static final String WORK_DIR_PROPERTY = "hookflow.test.kafka.work-dir";
    static final String CONTROLLER_PORT_PROPERTY = "hookflow.test.kafka.controller-port";
    static final String PID_PROPERTY = "hookflow.test.kafka.pid";

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
                System.setProperty(WORK_DIR_PROPERTY, workDir.toString());
                System.setProperty(CONTROLLER_PORT_PROPERTY, String.valueOf(started.controllerPort()));
                System.setProperty(PID_PROPERTY, String.valueOf(started.pid()));
            }
        }
        return broker;
    }

    /**
     * Stops the broker (controlled shutdown), runs {@code whileStopped}, and starts the broker again on the same ports
     * with the same data, as a broker restart in production: clients reconnect to the same address. Works from any
     * class loader, since the broker is found through JVM-wide system properties; the broker comes back even when
     * {@code whileStopped} fails.
     */
    public static synchronized void restartBroker(Runnable whileStopped) {
        String bootstrap = System.getProperty(BOOTSTRAP_PROPERTY);
        String pid = System.getProperty(PID_PROPERTY);
        if (bootstrap == null || pid == null) {
            throw new IllegalStateException("no test broker was started in this JVM");
        }
        ProcessHandle.of(Long.parseLong(pid)).ifPresent(KafkaTestResource::stop);
        try {
            whileStopped.run();
        } finally {
            int brokerPort = Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
            KafkaBroker restarted = KafkaBroker.start(Path.of(System.getProperty(WORK_DIR_PROPERTY)), brokerPort,
                    Integer.parseInt(System.getProperty(CONTROLLER_PORT_PROPERTY)));
            System.setProperty(PID_PROPERTY, String.valueOf(restarted.pid()));
            Runtime.getRuntime().addShutdownHook(new Thread(restarted::close, "kafka-test-resource-stop"));
        }
    }

    private static void stop(ProcessHandle broker) {
        broker.destroy();
        try {
            broker.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception notInTime) {
            broker.destroyForcibly();
            broker.onExit().join();
        }
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
