package io.hookflow.e2e;

import io.hookflow.stack.KafkaBroker;
import io.hookflow.stack.Postgres;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.ServiceProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole system as a user runs it: the three packaged services as separate processes, one real broker, one real
 * database and a local HTTP target. Started once for all end-to-end test classes (JUnit's root store closes it when
 * the run ends); tests keep out of each other's way by using their own paths on the target and their own rules.
 */
public final class HookflowSystem implements BeforeAllCallback, ExtensionContext.Store.CloseableResource, AutoCloseable {

    public static final String KEY = "e2e-bootstrap-key";
    static final Path ROOT = Path.of(System.getProperty("hookflow.project.root", "..")).toAbsolutePath().normalize();
    static final Path WORK = ROOT.resolve("e2e-tests/target/e2e");

    /**
     * A short lease (read timeout inside it) so a crashed delivery replica's work is taken over within seconds, not
     * the production default of two minutes.
     */
    static final Map<String, String> DELIVERY_ENV = Map.of(
            "HOOKFLOW_DELIVERY_LEASE", "15s",
            "HOOKFLOW_DELIVERY_CONNECT_TIMEOUT", "2s",
            "HOOKFLOW_DELIVERY_READ_TIMEOUT", "8s");

    private static HookflowSystem running;
    private int deliveryPort;
    private int deliveryRestarts;
    private int rulesPort;
    private int rulesRestarts;

    KafkaBroker kafka;
    Postgres postgres;
    RequestSink sink;
    ServiceProcess ingest;
    ServiceProcess rules;
    ServiceProcess delivery;

    /** The running system; test classes that use it are annotated with {@code @ExtendWith(HookflowSystem.class)}. */
    public static HookflowSystem get() {
        if (running == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(HookflowSystem.class)");
        }
        return running;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (HookflowSystem.class) {
            if (running == null) {
                start();
                running = this;
                context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).put(HookflowSystem.class.getName(), this);
            }
        }
    }

    private void start() throws Exception {
        Files.createDirectories(WORK);
        CompletableFuture<KafkaBroker> broker = CompletableFuture.supplyAsync(() -> {
            try {
                return KafkaBroker.start(WORK.resolve("kafka"), 0, 0);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        postgres = Postgres.start(null, 0);
        kafka = broker.join();
        sink = RequestSink.start(0);

        deliveryPort = freePort();
        delivery = service("delivery-service", deliveryPort, DELIVERY_ENV, "delivery-service.log");
        ingest = service("ingest-service", freePort(), Map.of(), "ingest-service.log");
        rulesPort = freePort();
        rules = service("rules-service", rulesPort, Map.of("HOOKFLOW_DELIVERY_URL", "http://127.0.0.1:" + deliveryPort),
                "rules-service.log");
        for (ServiceProcess service : List.of(ingest, rules, delivery)) {
            service.awaitReady(Duration.ofSeconds(120));
        }
    }

    /**
     * Kills delivery-service with SIGKILL (no shutdown hook, no clean hand-over) and starts a new replica on the same
     * port, as Kubernetes would after a node loss; returns once the new one is ready.
     */
    public void crashAndReplaceDelivery() {
        delivery.kill();
        deliveryRestarts++;
        delivery = service("delivery-service", deliveryPort, DELIVERY_ENV, "delivery-service-" + deliveryRestarts + ".log");
        delivery.awaitReady(Duration.ofSeconds(120));
    }

    /**
     * Kills rules-service with SIGKILL (no shutdown hook, no offset commit on the way out) and starts a new one on the
     * same port, as Kubernetes would after a node loss; returns once the new one is ready.
     */
    public void crashAndRestartRules() {
        rules.kill();
        rulesRestarts++;
        rules = service("rules-service", rulesPort, Map.of("HOOKFLOW_DELIVERY_URL", "http://127.0.0.1:" + deliveryPort),
                "rules-service-" + rulesRestarts + ".log");
        rules.awaitReady(Duration.ofSeconds(120));
    }

    /**
     * Restarts the broker (controlled shutdown, same ports, same data) under the running services, which must find it
     * again on their own; returns once it answers.
     */
    public void restartBroker() {
        kafka = kafka.restart();
    }

    public String ingestUrl() {
        return ingest.baseUrl();
    }

    public String rulesUrl() {
        return rules.baseUrl();
    }

    public String deliveryUrl() {
        return delivery.baseUrl();
    }

    public RequestSink sink() {
        return sink;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public void close() {
        for (AutoCloseable resource : new AutoCloseable[] {ingest, rules, delivery, sink, kafka, postgres}) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                System.err.println("stopping " + resource + ": " + e);
            }
        }
        running = null;
    }

    private ServiceProcess service(String name, int port, Map<String, String> extra, String logFile) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", postgres.username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        // The documented local profile: http and loopback targets allowed, dev-only token and secrets keys.
        env.put("QUARKUS_PROFILE", "local");
        env.put("HOOKFLOW_BOOTSTRAP_API_KEY", KEY);
        return ServiceProcess.start(name, ROOT.resolve(name + "/target/quarkus-app/quarkus-run.jar"), env, port,
                WORK.resolve(logFile));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
