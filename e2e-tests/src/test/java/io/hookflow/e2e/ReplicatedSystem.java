package io.hookflow.e2e;

import io.hookflow.stack.LocalStack;
import io.hookflow.stack.RequestSink;
import io.hookflow.stack.ServiceReplicas;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Two replicas each of ingest-, rules- and delivery-service (each its own JVM; each service behind its round-robin
 * proxy, as behind a Kubernetes Service) on one broker and one database, plus a target: the same {@link LocalStack}
 * that {@code deploy/local/run --replicas} starts. Delivery replica 0 holds its leases for {@link #LONG_LEASE} and
 * replica 1 for {@link #SHORT_LEASE}: a crash of replica 1 is taken over within seconds, and a lease that outlives
 * replica 0 could only be one it failed to hand back.
 */
final class ReplicatedSystem implements AutoCloseable {

    static final String KEY = "e2e-replicas-key";
    static final Path WORK = HookflowSystem.ROOT.resolve("e2e-tests/target/e2e-replicas");
    static final Duration LONG_LEASE = Duration.ofSeconds(40);
    static final Duration SHORT_LEASE = Duration.ofSeconds(15);
    static final Duration READY = Duration.ofSeconds(180);
    static final List<String> SERVICES = List.of("ingest-service", "rules-service", "delivery-service");

    final LocalStack stack;
    final RequestSink target;
    private final HttpClient client = HttpClient.newHttpClient();

    private ReplicatedSystem(LocalStack stack, RequestSink target) {
        this.stack = stack;
        this.target = target;
    }

    static ReplicatedSystem start() throws IOException {
        return start(Map.of("ingest-service", 2, "rules-service", 2, "delivery-service", 2), Map.of());
    }

    /**
     * As {@link #start()} with other replica counts (delivery needs its two: the leases above are per replica) and
     * further environment for every delivery replica (e.g. a short retry schedule).
     */
    static ReplicatedSystem start(Map<String, Integer> replicas, Map<String, String> moreDeliveryEnv) throws IOException {
        deleteRecursively(WORK);
        Files.createDirectories(WORK);
        LocalStack stack = LocalStack.onFreePorts(HookflowSystem.ROOT, WORK, Map.of("HOOKFLOW_BOOTSTRAP_API_KEY", KEY))
                .withReplicas(replicas)
                .withReplicaEnv("delivery-service", 0, with(deliveryEnv(LONG_LEASE), moreDeliveryEnv))
                .withReplicaEnv("delivery-service", 1, with(deliveryEnv(SHORT_LEASE), moreDeliveryEnv));
        try {
            long begin = System.nanoTime();
            stack.start();
            System.out.printf("REPLICAS system of %s service JVMs ready in %d s%n", replicas,
                    Duration.ofNanos(System.nanoTime() - begin).toSeconds());
            return new ReplicatedSystem(stack, RequestSink.start(0));
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /** Short timeouts inside the lease; a short circuit cool-down so a recovered target is probed within seconds. */
    private static Map<String, String> deliveryEnv(Duration lease) {
        return Map.of("HOOKFLOW_DELIVERY_LEASE", lease.toSeconds() + "s",
                "HOOKFLOW_DELIVERY_CONNECT_TIMEOUT", "2s",
                "HOOKFLOW_DELIVERY_READ_TIMEOUT", "8s",
                "HOOKFLOW_DELIVERY_CIRCUIT_COOLDOWN", "5s");
    }

    private static Map<String, String> with(Map<String, String> env, Map<String, String> more) {
        Map<String, String> all = new HashMap<>(env);
        all.putAll(more);
        return all;
    }

    ServiceReplicas service(String name) {
        return stack.service(name);
    }

    String url(String service) {
        return stack.service(service).baseUrl();
    }

    Connection database() throws SQLException {
        var postgres = stack.postgres();
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000));
    }

    /** Replicas a test stopped or killed come back (same port) before the next scenario. */
    void restartStopped() {
        for (String name : SERVICES) {
            ServiceReplicas service = stack.service(name);
            for (int i = 0; i < service.size(); i++) {
                if (!service.replica(i).isAlive()) {
                    service.restart(i, READY);
                }
            }
        }
    }

    /** Each replica's value of a counter on its /q/metrics: every series of the name whose labels contain all given. */
    /**
     * Waits until every rules replica has loaded the rules as they are now: each polls the revision every 200 ms, and
     * before it loads a new rule a webhook it takes would match nothing.
     */
    void awaitRulesEverywhere() {
        long revision;
        try (Connection db = database(); java.sql.ResultSet row = db.createStatement()
                .executeQuery("select revision from rules.rule_revision")) {
            row.next();
            revision = row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> metricPerReplica("rules-service", "hookflow_rules_index_revision").values().stream()
                        .allMatch(loaded -> loaded >= revision));
    }

    Map<Integer, Double> metricPerReplica(String service, String name, String... labels) {
        Map<Integer, Double> values = new HashMap<>();
        List<io.hookflow.stack.ServiceProcess> replicas = stack.service(service).replicas();
        for (int i = 0; i < replicas.size(); i++) {
            String text;
            try {
                text = client.send(HttpRequest.newBuilder(URI.create(replicas.get(i).baseUrl() + "/q/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("metrics of " + replicas.get(i), e);
            }
            values.put(i, text.lines()
                    .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
                    .filter(line -> Stream.of(labels).allMatch(line::contains))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .sum());
        }
        return values;
    }

    /** Each live replica's resident memory (VmRSS, MB), per service: what a replica needs after the scenarios. */
    Map<String, List<Long>> residentMegabytes() {
        Map<String, List<Long>> rss = new java.util.LinkedHashMap<>();
        for (String name : SERVICES) {
            rss.put(name, stack.service(name).replicas().stream().filter(io.hookflow.stack.ServiceProcess::isAlive)
                    .map(replica -> {
                        try {
                            return Files.readAllLines(Path.of("/proc/" + replica.pid() + "/status")).stream()
                                    .filter(line -> line.startsWith("VmRSS:"))
                                    .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024)
                                    .findFirst().orElse(-1L);
                        } catch (IOException e) {
                            return -1L;
                        }
                    }).toList());
        }
        return rss;
    }

    /** Waits until every service has all its replicas ready (after a restart of the broker or the database). */
    void awaitReady() {
        SERVICES.forEach(name -> stack.service(name).awaitReady(READY));
    }

    @Override
    public void close() {
        target.close();
        stack.close();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
