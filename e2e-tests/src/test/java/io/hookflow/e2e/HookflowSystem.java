package io.hookflow.e2e;

import io.hookflow.stack.OtlpReceiver;
import io.hookflow.stack.KafkaBroker;
import io.hookflow.stack.Ports;
import io.hookflow.stack.Postgres;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.ServiceProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole system as a user runs it: the three packaged services as separate processes, one real broker, one real
 * database and a local HTTP target. Started once for all end-to-end test classes (JUnit's root store closes it when
 * the run ends); tests keep out of each other's way by using their own paths on the target and their own rules.
 */
public final class HookflowSystem implements BeforeAllCallback, ExtensionContext.Store.CloseableResource, AutoCloseable {

    public static final String KEY = "e2e-bootstrap-key";
    /**
     * A token key the services no longer sign with but still verify, as in the middle of a rotation (the current key
     * is the local profile's dev key). TokenRotationIT signs with it.
     */
    public static final String PREVIOUS_TOKEN_KEY = "ZTJlLXByZXZpb3VzLXRva2VuLWtleS0zMi1ieXRlcyEh";
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
    OtlpReceiver otlp;
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
        otlp = OtlpReceiver.start();

        // Ingest and delivery start together; rules needs delivery's final port, so it follows delivery.
        CompletableFuture<ServiceProcess> startingDelivery = CompletableFuture.supplyAsync(() ->
                startOnFreePort("delivery-service", DELIVERY_ENV, "delivery-service.log"));
        CompletableFuture<ServiceProcess> startingIngest = CompletableFuture.supplyAsync(() ->
                startOnFreePort("ingest-service", Map.of(), "ingest-service.log"));
        delivery = startingDelivery.join();
        deliveryPort = URI.create(delivery.baseUrl()).getPort();
        rules = startOnFreePort("rules-service", Map.of("HOOKFLOW_DELIVERY_URL", delivery.baseUrl()), "rules-service.log");
        rulesPort = URI.create(rules.baseUrl()).getPort();
        ingest = startingIngest.join();
    }

    /**
     * Starts a service on a port that was free a moment ago and waits until it is ready. Another process can take the
     * port in between (the machine is shared): then the service exits on the bind failure, and it is started again on
     * another port.
     */
    private ServiceProcess startOnFreePort(String name, Map<String, String> extra, String logFile) {
        for (int attempt = 1; ; attempt++) {
            ServiceProcess service = service(name, Ports.free(), extra, logFile);
            try {
                return service.awaitReady(Duration.ofSeconds(120));
            } catch (IllegalStateException e) {
                service.close();
                boolean portTaken = String.valueOf(e.getMessage()).contains("in use");
                if (!portTaken || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /**
     * Waits until the system works end to end again after a test disturbed it (a broker restart, a replaced replica):
     * every service ready, and a webhook fired now delivered to the target. The next test, whichever it is, then
     * starts from a working system rather than from one still recovering.
     */
    public void awaitRecovered() {
        for (ServiceProcess service : List.of(ingest, rules, delivery)) {
            service.awaitReady(Duration.ofSeconds(120));
        }
        String canary = "e2e_canary_" + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String rule = """
                {"name": "%s", "pack": "e2e_canary", "enabled": true,
                 "trigger": {"type": "e2e.%s"},
                 "action": {"ref": "core.http", "parameters": {"url": "%s", "method": "POST", "body": "ok"}}}
                """.formatted(canary, canary, sink.url("/canary/" + canary));
        io.restassured.RestAssured.given().baseUri(rulesUrl()).header("St2-Api-Key", KEY)
                .contentType("application/json").body(rule).post("/api/v1/rules").then().statusCode(201);
        // Until ingest has its broker connection back it answers 503: the sender's retry, as a client would.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                io.restassured.RestAssured.given().baseUri(ingestUrl()).header("St2-Api-Key", KEY)
                        .contentType("application/json")
                        .body("{\"trigger\": \"e2e." + canary + "\", \"payload\": {}}")
                        .post("/api/v1/webhooks/st2").statusCode() == 202);
        sink.awaitRequestTo("/canary/" + canary, Duration.ofSeconds(120));
        io.restassured.RestAssured.given().baseUri(rulesUrl()).header("St2-Api-Key", KEY)
                .delete("/api/v1/rules/e2e_canary." + canary).then().statusCode(204);
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

    /**
     * Waits until the system has nothing left to do with these trigger instances, so counts taken afterwards can see a
     * late duplicate: (1) rules' and delivery's consumer groups have committed everything on trigger-events and
     * action-tasks (lag 0: every copy published so far was consumed, as offsets are committed only after processing);
     * (2) rules recorded each instance and every execution it caused has finished, with nothing due; (3) a settle
     * window of three delivery worker polls (1 s each in the local profile) passed with (2) still true.
     */
    public void awaitQuiet(Collection<String> triggerInstanceIds) {
        awaitQuiet("St2-Api-Key", KEY, triggerInstanceIds);
    }

    /** As {@link #awaitQuiet(Collection)} for another organisation's instances, seen with its credential. */
    public void awaitQuiet(String authHeader, String credential, Collection<String> triggerInstanceIds) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            // Offsets are committed every few seconds (the client's auto-commit interval); 120 s bounds a stuck group.
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> lag(admin, "hookflow-rules", "trigger-events") == 0
                            && lag(admin, "hookflow-delivery", "action-tasks") == 0);
        }
        java.util.function.BooleanSupplier settled = () -> triggerInstanceIds.stream().allMatch(id ->
                io.restassured.RestAssured.given().baseUri(rulesUrl()).header(authHeader, credential)
                        .get("/api/v1/triggerinstances/" + id).statusCode() == 200
                && io.restassured.RestAssured.given().baseUri(deliveryUrl()).header(authHeader, credential)
                        .queryParam("triggerInstance", id).get("/api/v1/executions").then().statusCode(200)
                        .extract().<List<Map<String, Object>>>path("items").stream()
                        .allMatch(execution -> FINAL.contains(execution.get("status"))
                                && execution.get("nextAttemptAt") == null));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(settled::getAsBoolean);
        org.awaitility.Awaitility.await().during(SETTLE).atMost(SETTLE.multipliedBy(4))
                .pollInterval(Duration.ofMillis(500)).until(settled::getAsBoolean);
    }

    static final Duration SETTLE = Duration.ofSeconds(3);
    static final java.util.Set<Object> FINAL = java.util.Set.of("SUCCEEDED", "FAILED", "CANCELED");

    /** Records on the topic that the consumer group has not committed yet, over all partitions. */
    static long lag(Admin admin, String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                .forEach(info -> latest.put(new TopicPartition(topic, info.partition()), OffsetSpec.latest()));
        long lag = 0;
        for (var end : admin.listOffsets(latest).all().get().entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            lag += end.getValue().offset() - (done == null ? 0 : done.offset());
        }
        return lag;
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

    public OtlpReceiver otlp() {
        return otlp;
    }

    public RequestSink sink() {
        return sink;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public void close() {
        for (AutoCloseable resource : new AutoCloseable[] {ingest, rules, delivery, sink, otlp, kafka, postgres}) {
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
        env.put("HOOKFLOW_PREVIOUS_TOKEN_KEYS", PREVIOUS_TOKEN_KEY);
        // Production's log format (JSON lines with the MDC ids) and the webhook trail's DEBUG lines: LogsIT reads them.
        env.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true");
        env.put("QUARKUS_LOG_CATEGORY__IO_HOOKFLOW_COMMON_OBSERVE__LEVEL", "DEBUG");
        // Every trace kept and sent to the test's OTLP receiver: TracingIT reads them.
        env.put("HOOKFLOW_TRACING_ENDPOINT", otlp.endpoint());
        env.put("HOOKFLOW_TRACING_RATIO", "1.0");
        return ServiceProcess.start(name, ROOT.resolve(name + "/target/quarkus-app/quarkus-run.jar"), env, port,
                WORK.resolve(logFile));
    }

}
