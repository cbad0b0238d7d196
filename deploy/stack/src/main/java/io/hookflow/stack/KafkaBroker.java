package io.hookflow.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one process) in a forked JVM, so the broker's
 * Scala and log4j stay off the caller's classpath. Data lives in {@code workDir/data} and survives a restart.
 */
public final class KafkaBroker implements AutoCloseable {

    /** Where deploy/kafka-broker writes the broker's classpath, relative to the project root. */
    static final String CLASSPATH_FILE = "deploy/kafka-broker/target/kafka-classpath.txt";
    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);
    static final int ATTEMPTS = 3;

    private final Process process;
    private final String bootstrapServers;
    private final Path logFile;
    private final Path workDir;
    private final int brokerPort;
    private final int controllerPort;

    private KafkaBroker(Process process, String bootstrapServers, Path logFile, Path workDir, int brokerPort,
                        int controllerPort) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.logFile = logFile;
        this.workDir = workDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
    }

    /** Starts a broker; a port of 0 means any free loopback port. Blocks until the broker answers an Admin client. */
    public static KafkaBroker start(Path workDir, int brokerPort, int controllerPort) {
        String classpath = brokerClasspath();
        for (int attempt = 1; ; attempt++) {
            int broker = brokerPort == 0 ? Ports.free() : brokerPort;
            int controller = controllerPort == 0 ? freePortOtherThan(broker) : controllerPort;
            try {
                return launch(workDir.toAbsolutePath(), classpath, broker, controller);
            } catch (PortTakenException e) {
                // A port picked as free was taken before the broker bound it: pick again, unless the caller chose both.
                if (attempt == ATTEMPTS || (brokerPort != 0 && controllerPort != 0)) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }
        }
    }

    /** A handle on a broker started elsewhere in this JVM (e.g. by another class loader); closing it does nothing. */
    public static KafkaBroker running(String bootstrapServers) {
        return new KafkaBroker(null, bootstrapServers, null, null, 0, 0);
    }

    /**
     * Stops the broker (controlled shutdown) and starts it again on the same ports with the same data, as a rolling
     * restart or a broker pod being rescheduled would; clients reconnect to the same address.
     */
    public KafkaBroker restart() {
        if (process == null) {
            throw new IllegalStateException("this broker was started elsewhere");
        }
        close();
        return start(workDir, brokerPort, controllerPort);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The broker's process id, so that a broker started by another class loader can be stopped (tests). */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException("this broker was started elsewhere");
        }
        return process.pid();
    }

    public int controllerPort() {
        return controllerPort;
    }

    public Path logFile() {
        return logFile;
    }

    /** SIGTERM for a controlled shutdown, then a kill if the broker does not exit in time. */
    @Override
    public void close() {
        if (process != null) {
            Processes.stop(process, 30);
        }
    }

    @Override
    public String toString() {
        return "KafkaBroker[" + bootstrapServers + "]";
    }

    private static KafkaBroker launch(Path workDir, String classpath, int brokerPort, int controllerPort) {
        try {
            Path dataDir = workDir.resolve("data");
            Path config = workDir.resolve("server.properties");
            Path log = workDir.resolve("broker.log");
            Files.createDirectories(dataDir);
            Files.writeString(config, serverProperties(dataDir, brokerPort, controllerPort));
            Files.writeString(workDir.resolve("log4j2.properties"), LOG4J_CONFIG);
            // A fresh log per start, so an old "started" line or error is never mistaken for this run's.
            Files.deleteIfExists(log);

            if (!Files.exists(dataDir.resolve("meta.properties"))) {
                format(workDir, classpath, config, log);
            }
            Process process = new ProcessBuilder(javaCommand(workDir, classpath, "kafka.Kafka", config.toString()))
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            String bootstrap = "127.0.0.1:" + brokerPort;
            awaitReady(process, bootstrap, brokerPort, log);
            return new KafkaBroker(process, bootstrap, log, workDir, brokerPort, controllerPort);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Kafka in " + workDir, e);
        }
    }

    private static void format(Path workDir, String classpath, Path config, Path log) throws IOException {
        Process format = new ProcessBuilder(javaCommand(workDir, classpath, "kafka.tools.StorageTool",
                "format", "--ignore-formatted", "-t", Uuid.randomUuid().toString(), "-c", config.toString()))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        try {
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                format.destroyForcibly();
                throw new IllegalStateException("formatting Kafka storage failed:\n" + Processes.logTail(log));
            }
        } catch (InterruptedException e) {
            format.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting Kafka storage", e);
        }
    }

    private static void awaitReady(Process process, String bootstrap, int brokerPort, Path log) {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        try {
            // Wait for the listener first: an Admin client against a closed port only logs connection warnings.
            while (!Ports.listening(brokerPort)) {
                failIfExited(process, log);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka did not listen on " + bootstrap + " within " + STARTUP_TIMEOUT);
                }
                Thread.sleep(100);
            }
            try (Admin admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000))) {
                while (true) {
                    failIfExited(process, log);
                    try {
                        if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                            return;
                        }
                    } catch (Exception notYet) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("Kafka on " + bootstrap + " not ready within " + STARTUP_TIMEOUT
                                    + ": " + notYet + "\n" + Processes.logTail(log));
                        }
                    }
                    Thread.sleep(100);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Kafka", e);
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static void failIfExited(Process process, Path log) {
        if (process.isAlive()) {
            return;
        }
        String tail = Processes.logTail(log);
        if (tail.contains("Address already in use")) {
            throw new PortTakenException("a Kafka port was already in use:\n" + tail);
        }
        throw new IllegalStateException("Kafka exited with " + process.exitValue() + ":\n" + tail);
    }

    private static List<String> javaCommand(Path workDir, String classpath, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(Processes.javaExecutable(),
                "-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + workDir.resolve("log4j2.properties"),
                "-cp", classpath, mainClass));
        command.addAll(List.of(args));
        return command;
    }

    private static String serverProperties(Path dataDir, int brokerPort, int controllerPort) {
        return """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%2$d
                listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
                log.dirs=%3$s
                num.partitions=4
                auto.create.topics.enable=true
                # One node: every internal topic has one replica and needs one in sync.
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=10
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                # Consumer groups start at once instead of waiting for more members that never come.
                group.initial.rebalance.delay.ms=0
                """.formatted(brokerPort, controllerPort, dataDir);
    }

    /** The broker's classpath: the system property set by the build, else the file found from the working directory up. */
    static String brokerClasspath() {
        String configured = System.getProperty("hookflow.kafka.classpath.file");
        Path file = configured != null && !configured.isBlank() ? Path.of(configured) : ProjectRoot.find().resolve(CLASSPATH_FILE);
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new IllegalStateException("no Kafka broker classpath at " + file
                    + "; build deploy/kafka-broker first (./mvnw install -DskipTests from the project root)", e);
        }
    }

    private static int freePortOtherThan(int port) {
        int other = Ports.free();
        return other == port ? Ports.free() : other;
    }

    private static final String LOG4J_CONFIG = """
            appender.out.type=Console
            appender.out.name=out
            appender.out.layout.type=PatternLayout
            appender.out.layout.pattern=[%d] %p %m (%c{1})%n
            rootLogger.level=INFO
            rootLogger.appenderRef.out.ref=out
            logger.kafka.name=org.apache.kafka
            logger.kafka.level=WARN
            logger.state.name=state.change.logger
            logger.state.level=WARN
            """;

    private static final class PortTakenException extends RuntimeException {
        PortTakenException(String message) {
            super(message);
        }
    }
}
