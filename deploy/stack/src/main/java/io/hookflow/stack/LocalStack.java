package io.hookflow.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The whole system on one machine without Docker: Kafka, PostgreSQL, a demo HTTP target and the three packaged
 * services, with data kept under deploy/local/data. Started by deploy/local/run; stops everything on SIGINT/SIGTERM.
 * Each service runs as one or more replicas ({@link #withReplicas}), each its own JVM on its own port; a service with
 * several has a {@link RoundRobinProxy} on its usual port. The end-to-end benchmark and the replica tests start the
 * same stack on free ports with their data elsewhere ({@link #onFreePorts}).
 */
public final class LocalStack implements AutoCloseable {

    static final int KAFKA_PORT = 9092;
    static final int KAFKA_CONTROLLER_PORT = 9093;
    static final int POSTGRES_PORT = 15432;
    static final int DEMO_TARGET_PORT = 8090;
    static final Map<String, Integer> SERVICES = Map.of("ingest-service", 8081, "rules-service", 8082, "delivery-service", 8083);
    static final List<String> SERVICE_ORDER = List.of("ingest-service", "rules-service", "delivery-service");
    /** The web console: its pages and a proxy to the three services' APIs (console/). */
    static final int CONSOLE_PORT = 8084;
    static final String CONSOLE_JAVA_OPTS = "-Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";
    static final Duration SERVICE_STARTUP = Duration.ofSeconds(120);
    static final int MAX_REPLICAS = 16;
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Path root;
    private final Path data;
    private final Map<String, String> env;
    /** Any free port for every listener instead of the fixed ones above, so a second stack never collides. */
    private final boolean freePorts;
    private final Map<String, ServiceReplicas> services = new LinkedHashMap<>();
    /** The web console, in deploy/local/run's fixed layout only. */
    private ServiceProcess console;
    private final Map<String, Integer> replicas = new HashMap<>();
    /** Extra environment per service and replica index, over what every replica gets. */
    private final Map<String, Map<Integer, Map<String, String>>> replicaEnv = new HashMap<>();
    private KafkaBroker kafka;
    private Postgres postgres;
    private String bootstrap;
    private RequestSink demoTarget;
    private String apiKey;
    private Map<String, String> database;
    /** Everything started, newest first: closing in this order stops the services before the broker and database. */
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private volatile boolean stopping;
    private volatile boolean ready;
    /** The java the services run on, and whether they record ({@link AotTraining}) or use AOT caches. */
    private ServiceJava serviceJava;
    private boolean aot;
    private boolean recordAot;
    private final Map<String, AotCache> aotCaches = new HashMap<>();

    LocalStack(Path root, Map<String, String> env) {
        this(root, root.resolve("deploy/local/data"), env, false);
    }

    private LocalStack(Path root, Path data, Map<String, String> env, boolean freePorts) {
        this.root = root;
        this.data = data;
        this.env = env;
        this.freePorts = freePorts;
    }

    /**
     * The same stack (same services, JVM options, profile and durable database) on free ports with its data and logs
     * under {@code data}; {@link #start()} it, {@link #close()} it. Reads the same settings from {@code env}.
     */
    public static LocalStack onFreePorts(Path root, Path data, Map<String, String> env) {
        return new LocalStack(root, data, env, true);
    }

    /**
     * Replicas per service, e.g. {@code ingest-service -> 2}; services not named keep one. Call before {@link #start()}.
     */
    public LocalStack withReplicas(Map<String, Integer> counts) {
        counts.forEach((service, count) -> {
            if (!SERVICES.containsKey(service)) {
                throw new IllegalArgumentException("no service " + service + "; one of " + SERVICE_ORDER);
            }
            replicas.put(service, count);
        });
        return this;
    }

    /** Extra environment for one replica (0-based) of a service, e.g. a setting a test wants on only one of them. */
    public LocalStack withReplicaEnv(String service, int replica, Map<String, String> extra) {
        replicaEnv.computeIfAbsent(service, ignored -> new HashMap<>()).put(replica, Map.copyOf(extra));
        return this;
    }

    /** A training run: every service (one replica each) records its AOT cache, written when its JVM exits. */
    LocalStack recordingAotCaches() {
        recordAot = true;
        return this;
    }

    /** The java the services run on (known once {@link #start()} began). */
    public ServiceJava serviceJava() {
        return serviceJava;
    }

    /** The AOT cache of each service started from or recording one; empty when the stack runs without. */
    public Map<String, AotCache> aotCaches() {
        synchronized (aotCaches) {
            return Map.copyOf(aotCaches);
        }
    }

    /**
     * Reads {@code --replicas ingest=2,rules=2,delivery=3} (names with or without "-service"; 1 to
     * {@link #MAX_REPLICAS} each).
     */
    static Map<String, Integer> parseReplicas(String spec) {
        Map<String, Integer> counts = new HashMap<>();
        for (String part : spec.split(",")) {
            String[] nameAndCount = part.trim().split("=", 2);
            String service = nameAndCount[0].trim().endsWith("-service") ? nameAndCount[0].trim()
                    : nameAndCount[0].trim() + "-service";
            if (nameAndCount.length != 2 || !SERVICES.containsKey(service)) {
                throw new IllegalArgumentException("--replicas takes service=count pairs separated by commas, e.g. "
                        + "ingest=2,rules=2,delivery=3 (services: ingest, rules, delivery); got '" + part.trim() + "'");
            }
            int count;
            try {
                count = Integer.parseInt(nameAndCount[1].trim());
            } catch (NumberFormatException e) {
                count = 0;
            }
            if (count < 1 || count > MAX_REPLICAS) {
                throw new IllegalArgumentException("--replicas: " + service + " needs a count from 1 to " + MAX_REPLICAS
                        + "; got '" + nameAndCount[1].trim() + "'");
            }
            counts.put(service, count);
        }
        return counts;
    }

    public static void main(String[] args) {
        Map<String, Integer> counts = Map.of();
        try {
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--replicas") && i + 1 < args.length) {
                    counts = parseReplicas(args[++i]);
                } else if (args[i].startsWith("--replicas=")) {
                    counts = parseReplicas(args[i].substring("--replicas=".length()));
                } else {
                    throw new IllegalArgumentException("unknown argument: " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
        Path root = ProjectRoot.find();
        try {
            // On JDK 25 or later: the services' AOT caches, recorded once per build by a training run.
            AotTraining.prepare(root, root.resolve("deploy/local/data/aot-training"), System.getenv(), LocalStack::log);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
        LocalStack stack = new LocalStack(root, System.getenv()).withReplicas(counts);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "local-stack-stop"));
        try {
            stack.run();
        } catch (RuntimeException e) {
            if (!stack.stopping) {
                System.err.println("\nHookflow " + (stack.ready ? "stopped: " : "did not start: ") + rootMessage(e));
                System.exit(1);
            }
        }
    }

    void run() {
        Duration took = start();
        printWelcome(bootstrap, demoTarget, apiKey, took);
        ready = true;
        waitUntilAServiceDies(List.copyOf(services.values()));
    }

    /** Starts everything and returns once every service answers ready, with the time that took. */
    public Duration start() {
        long begin = System.nanoTime();
        serviceJava = ServiceJava.detect(env);
        aot = AotCache.enabled(env, serviceJava);
        log("services run on " + serviceJava + (recordAot ? "; recording their AOT caches"
                : aot ? "" : serviceJava.hasAotCache() ? "; AOT caches off (HOOKFLOW_AOT=off)" : "; no AOT cache before JDK 25"));
        String kafka = env.get("KAFKA_BOOTSTRAP_SERVERS");
        String jdbcUrl = env.get("QUARKUS_DATASOURCE_JDBC_URL");
        checkPortsFree(kafka == null, jdbcUrl == null);

        // Broker and database start in parallel: together they take as long as the slower one.
        CompletableFuture<String> broker = CompletableFuture.supplyAsync(() -> kafka != null ? kafka : startKafka());
        Map<String, String> database = jdbcUrl != null
                ? Map.of("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl,
                        "QUARKUS_DATASOURCE_USERNAME", env.getOrDefault("QUARKUS_DATASOURCE_USERNAME", "postgres"),
                        "QUARKUS_DATASOURCE_PASSWORD", env.getOrDefault("QUARKUS_DATASOURCE_PASSWORD", "postgres"))
                : startPostgres();
        bootstrap = join(broker);
        demoTarget = track(RequestSink.start(port(DEMO_TARGET_PORT), LocalStack::printDemoRequest));
        apiKey = bootstrapApiKey();

        Map<String, Integer> ports = new HashMap<>();
        SERVICE_ORDER.forEach(name -> ports.put(name, freePorts ? 0 : SERVICES.get(name)));
        // rules-service calls delivery-service (execute-now); its default (localhost:8083) is the fixed layout's, so on
        // free ports delivery starts first and rules learns delivery's actual address.
        CompletableFuture<Void> deliveryReady = CompletableFuture.runAsync(() -> {
            startService("delivery-service", ports.get("delivery-service"), database, Map.of());
            awaitReady(services.get("delivery-service"));
        });
        startService("ingest-service", ports.get("ingest-service"), database, Map.of());
        CompletableFuture<Void> ingestReady = CompletableFuture.runAsync(() -> awaitReady(services.get("ingest-service")));
        if (freePorts) {
            join(deliveryReady);
        }
        startService("rules-service", ports.get("rules-service"), database, freePorts
                ? Map.of("HOOKFLOW_DELIVERY_URL", services.get("delivery-service").baseUrl()) : Map.of());
        log("waiting for the services (logs in " + root.relativize(data.resolve("logs")) + "/)");
        join(CompletableFuture.allOf(deliveryReady, ingestReady,
                CompletableFuture.runAsync(() -> awaitReady(services.get("rules-service")))));
        if (!freePorts) {
            // deploy/local/run's stack; the benchmarks' stack on free ports measures the three services alone.
            console = track(startConsole());
        }
        this.database = database;
        return Duration.ofNanos(System.nanoTime() - begin);
    }

    /** The console reaches the services on loopback; the browser reaches only the console. */
    private ServiceProcess startConsole() {
        Map<String, String> consoleEnv = Map.of(
                "QUARKUS_HTTP_PORT", String.valueOf(CONSOLE_PORT),
                "JAVA_OPTS", env.getOrDefault("CONSOLE_JAVA_OPTS", CONSOLE_JAVA_OPTS),
                "HOOKFLOW_CONSOLE_INGEST_URL", services.get("ingest-service").baseUrl(),
                "HOOKFLOW_CONSOLE_RULES_URL", services.get("rules-service").baseUrl(),
                "HOOKFLOW_CONSOLE_DELIVERY_URL", services.get("delivery-service").baseUrl(),
                "HOOKFLOW_CONSOLE_PUBLIC_INGEST_URL", "http://localhost:" + SERVICES.get("ingest-service"));
        return ServiceProcess.start("console", root.resolve("console/target/quarkus-app/quarkus-run.jar"), consoleEnv,
                CONSOLE_PORT, data.resolve("logs/console.log"));
    }

    /** A started service's replicas by name (ingest-service, rules-service, delivery-service). */
    public ServiceReplicas service(String name) {
        return services.get(name);
    }

    /** The broker this stack started (null when it uses an external one). */
    public KafkaBroker broker() {
        return kafka;
    }

    /** The database this stack started (null when it uses an external one). */
    public Postgres postgres() {
        return postgres;
    }

    /** Restarts the broker (controlled shutdown, same port and data) under the running services. */
    public synchronized void restartBroker() {
        kafka = kafka.restart();
    }

    /** Restarts PostgreSQL (fast shutdown, same port and data) under the running services. */
    public synchronized void restartPostgres() {
        postgres = postgres.restart();
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public String apiKey() {
        return apiKey;
    }

    /** Where data and logs live: PostgreSQL's data directory is {@code postgres/} in it (unless external). */
    public Path data() {
        return data;
    }

    @Override
    public void close() {
        stop();
    }

    /** Stops services first (they still need the broker and database to shut down cleanly), then the rest. */
    synchronized void stop() {
        stopping = true;
        if (!started.isEmpty()) {
            log("stopping");
        }
        while (!started.isEmpty()) {
            AutoCloseable resource = started.pop();
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("stopping " + resource + ": " + e);
            }
        }
    }

    private String startKafka() {
        log("starting Kafka" + (freePorts ? "" : " on 127.0.0.1:" + KAFKA_PORT));
        long begin = System.nanoTime();
        kafka = KafkaBroker.start(data.resolve("kafka"), port(KAFKA_PORT), port(KAFKA_CONTROLLER_PORT));
        // Through the field: a restarted broker is the one to stop.
        track(new Named("Kafka", () -> kafka.close()));
        log("Kafka ready in " + millis(begin) + " ms (log " + root.relativize(kafka.logFile()) + ")");
        return kafka.bootstrapServers();
    }

    private Map<String, String> startPostgres() {
        log("starting PostgreSQL" + (freePorts ? "" : " on localhost:" + POSTGRES_PORT));
        long begin = System.nanoTime();
        postgres = Postgres.start(data.resolve("postgres"), port(POSTGRES_PORT));
        track(new Named("PostgreSQL", () -> postgres.close()));
        log("PostgreSQL ready in " + millis(begin) + " ms");
        return Map.of("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(),
                "QUARKUS_DATASOURCE_USERNAME", postgres.username(),
                "QUARKUS_DATASOURCE_PASSWORD", postgres.password());
    }

    /** The fixed port, or 0 (any free one) for a stack on free ports. */
    private int port(int fixed) {
        return freePorts ? 0 : fixed;
    }

    private void checkPortsFree(boolean kafka, boolean postgres) {
        if (freePorts) {
            return;
        }
        if (kafka) {
            Ports.requireFree(KAFKA_PORT, "Kafka broker");
            Ports.requireFree(KAFKA_CONTROLLER_PORT, "Kafka controller");
        }
        if (postgres) {
            Ports.requireFree(POSTGRES_PORT, "PostgreSQL");
        }
        Ports.requireFree(DEMO_TARGET_PORT, "demo target");
        SERVICE_ORDER.forEach(name -> Ports.requireFree(SERVICES.get(name), name));
        Ports.requireFree(CONSOLE_PORT, "console");
    }

    /** Something started, by a name for messages, closed through a lambda (e.g. whichever broker runs by then). */
    private record Named(String name, AutoCloseable resource) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            resource.close();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** The environment's key, else the one kept from an earlier run, else a new random one kept for the next run. */
    private String bootstrapApiKey() {
        String given = env.get("HOOKFLOW_BOOTSTRAP_API_KEY");
        if (given != null && !given.isBlank()) {
            return given;
        }
        Path file = data.resolve("bootstrap-api-key");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String key = "hf_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createDirectories(data);
            Files.writeString(file, key + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return key;
        } catch (IOException e) {
            throw new IllegalStateException("could not read or write " + file, e);
        }
    }

    private void startService(String name, int stablePort, Map<String, String> database, Map<String, String> extra) {
        Map<String, String> serviceEnv = new HashMap<>(database);
        serviceEnv.putAll(extra);
        serviceEnv.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        serviceEnv.put("QUARKUS_PROFILE", "local");
        serviceEnv.put("HOOKFLOW_BOOTSTRAP_API_KEY", apiKey);
        Path jar = quarkusRunJar(root, env, name);
        // JAVA_OPTS replaces the defaults, e.g. to add a JFR recording to every service; the AOT cache option is added.
        String javaOptions = env.getOrDefault("JAVA_OPTS", ServiceProcess.DEFAULT_JAVA_OPTS);
        List<String> aotOptions = aotOptions(name, jar, javaOptions);
        serviceEnv.put("JAVA_OPTS", (javaOptions + " " + String.join(" ", aotOptions)).trim());
        serviceEnv.put("HOOKFLOW_JAVA", serviceJava.executable().toString());
        List<Map<String, String>> envs = new ArrayList<>();
        for (int i = 0; i < replicas.getOrDefault(name, 1); i++) {
            Map<String, String> replica = new HashMap<>(serviceEnv);
            replica.putAll(replicaEnv.getOrDefault(name, Map.of()).getOrDefault(i, Map.of()));
            envs.add(replica);
        }
        ServiceReplicas started = track(ServiceReplicas.start(name, jar, envs, stablePort, data.resolve("logs")));
        synchronized (services) {
            services.put(name, started);
        }
    }

    /**
     * A service's packaged app: {@code <service>/target/quarkus-app/quarkus-run.jar}, or the {@code quarkus-app} folder
     * named by {@code HOOKFLOW_APP_<SERVICE>} (e.g. {@code HOOKFLOW_APP_INGEST_SERVICE=/deployments}: the Dockerfile
     * trains the AOT cache with the app where the image runs it, since the cache holds the app's path).
     */
    static Path quarkusRunJar(Path root, Map<String, String> env, String service) {
        String dir = env.get("HOOKFLOW_APP_" + service.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        return dir != null && !dir.isBlank() ? Path.of(dir.trim()).resolve("quarkus-run.jar")
                : root.resolve(service + "/target/quarkus-app/quarkus-run.jar");
    }

    /** Record the cache in a training run, use it when it is current, else start without (and say why). */
    private List<String> aotOptions(String name, Path jar, String javaOptions) {
        if (!aot && !recordAot) {
            return List.of();
        }
        AotCache cache = AotCache.of(jar, serviceJava, javaOptions);
        if (recordAot) {
            if (replicas.getOrDefault(name, 1) != 1) {
                throw new IllegalStateException("a training run records one replica per service");
            }
            synchronized (aotCaches) {
                aotCaches.put(name, cache);
            }
            return cache.recordOptions();
        }
        if (!cache.isCurrent()) {
            log(name + ": no current AOT cache (" + cache.file() + "), starting without one");
            return List.of();
        }
        synchronized (aotCaches) {
            aotCaches.put(name, cache);
        }
        log(name + " starts from its AOT cache " + cache.file());
        return cache.useOptions();
    }

    private void awaitReady(ServiceReplicas service) {
        service.awaitReady(SERVICE_STARTUP);
        log(service.name() + " ready on " + service.baseUrl() + (service.size() == 1 ? ""
                : " (round-robin over " + service.size() + " replicas on ports "
                + service.replicas().stream().map(replica -> String.valueOf(replica.port())).toList() + ")"));
    }

    /**
     * Returns (by throwing) once every replica of some service has stopped; a replica that stops while others of its
     * service still run is reported and the stack carries on, as a Deployment keeps serving with one pod gone.
     */
    private void waitUntilAServiceDies(List<ServiceReplicas> services) {
        java.util.Set<ServiceProcess> reported = new java.util.HashSet<>();
        while (!stopping) {
            for (ServiceReplicas service : services) {
                List<ServiceProcess> replicas = service.replicas();
                List<ServiceProcess> dead = replicas.stream().filter(replica -> !replica.isAlive()).toList();
                if (stopping) {
                    return;
                }
                if (dead.size() == replicas.size()) {
                    throw new IllegalStateException(service.name() + " stopped unexpectedly; see " + dead.get(0).logFile());
                }
                dead.stream().filter(reported::add).forEach(replica -> log("a replica of " + service.name() + " on port "
                        + replica.port() + " stopped (see " + replica.logFile() + "); the other replicas carry on"));
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized <T extends AutoCloseable> T track(T resource) {
        started.push(resource);
        return resource;
    }

    private void printWelcome(String bootstrap, RequestSink demoTarget, String key, Duration took) {
        String jdbcUrl = database.get("QUARKUS_DATASOURCE_JDBC_URL");
        String rule = """
                {"name":"notify_demo","pack":"examples","enabled":true,"trigger":{"type":"mypack.mytrigger"},\
                "criteria":{"trigger.attribute1":{"type":"equals","pattern":"value1"}},\
                "action":{"ref":"core.http","parameters":{"url":"http://127.0.0.1:8090/hooks/demo","method":"POST",\
                "headers":{"Content-Type":"application/json"},"body":{"got":"{{ trigger.attribute1 }}"}}}}""";
        System.out.printf("""

                Hookflow is running (started in %d s). Ctrl-C stops everything.

                  ingest-service    http://localhost:8081   (webhooks: POST /api/v1/webhooks/st2)
                  rules-service     http://localhost:8082   (rules: /api/v1/rules)
                  delivery-service  http://localhost:8083   (executions: /api/v1/executions)
                  each service also serves /q/health, /q/metrics and /q/openapi%s
                  demo target       %s   (prints every request it receives)
                  Kafka             %s
                  PostgreSQL        %s
                  data and logs     %s

                Bootstrap API key:  %s

                Try it:
                  # 1. a rule: when mypack.mytrigger fires with attribute1 = value1, POST to the demo target
                  curl -s -X POST http://localhost:8082/api/v1/rules -H 'St2-Api-Key: %7$s' \\
                    -H 'Content-Type: application/json' -d '%s'

                  # 2. a webhook that matches it; the 202 answer's id names the trigger instance
                  ID=$(curl -s -X POST http://localhost:8081/api/v1/webhooks/st2 -H 'St2-Api-Key: %7$s' \\
                    -H 'Content-Type: application/json' -d '{"trigger":"mypack.mytrigger","payload":{"attribute1":"value1"}}' \\
                    | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4); echo "trigger instance $ID"

                  # 3. the execution it caused, with its attempts and status history (waits up to 10 s for it to exist;
                  #    the demo target prints the request it received as well)
                  for i in $(seq 20); do EXEC=$(curl -s "http://localhost:8083/api/v1/executions?triggerInstance=$ID" \\
                    -H 'St2-Api-Key: %7$s' | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4); [ -n "$EXEC" ] && break; sleep 0.5; done
                  curl -s "http://localhost:8083/api/v1/executions/$EXEC" -H 'St2-Api-Key: %7$s'

                """, took.toSeconds(), replicaNote() + consoleNote(), demoTarget.url(""), bootstrap, jdbcUrl, root.relativize(data), key,
                rule);
    }

    /** Which services run several replicas, and where; empty when each runs one. */
    private String replicaNote() {
        StringBuilder note = new StringBuilder();
        services.values().stream().filter(service -> service.size() > 1).forEach(service -> note.append("\n  ")
                .append(service.name()).append(": ").append(service.size())
                .append(" replicas behind a round-robin proxy on its port, each on its own port ")
                .append(service.replicas().stream().map(replica -> String.valueOf(replica.port())).toList())
                .append(", logs ").append(service.name()).append("-N.log"));
        return note.toString();
    }

    /** Where the console answers, when this stack started one. */
    private String consoleNote() {
        return console == null ? "" : "\n  web console       http://localhost:" + CONSOLE_PORT
                + "   (sign in with the API key below)";
    }

    private static void printDemoRequest(RecordedRequest request) {
        log("demo target received " + request.method() + " " + request.path() + " " + request.body());
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private static String rootMessage(Throwable e) {
        StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            message.append("\n  caused by: ").append(cause);
        }
        return message.toString();
    }

    private static long millis(long beginNanos) {
        return (System.nanoTime() - beginNanos) / 1_000_000;
    }

    private static void log(String message) {
        System.out.println(LocalTime.now().format(TIME) + " " + message);
    }
}
