package io.hookflow.bench.rules;

import io.hookflow.bench.BenchStack;
import io.hookflow.bench.CpuTime;
import io.hookflow.common.event.Topics;
import io.hookflow.stack.Ports;
import io.hookflow.stack.Postgres;
import io.hookflow.stack.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Trigger events per second through the packaged rules-service (a separate JVM, with a real Kafka broker and
 * PostgreSQL on the same machine): each event is consumed, matched against 100 rules of its trigger type, recorded as a
 * trigger instance with its rule enforcement, and turned into a task on action-tasks.
 *
 * <pre>
 * benchmarks/run io.hookflow.bench.rules.RulesThroughputBenchmark [events=100000] [warmup=30000] [rules=100] [backlog=200000]
 * </pre>
 *
 * events/s = events / (first event published .. last task seen on action-tasks). The events are published as fast as
 * the producer goes, so the figure is bound by rules-service unless the producer rate printed beside it is lower. Then
 * a backlog of {@code backlog} events is published while rules-service is stopped and drained after a restart: the
 * producer no longer competes for the cores (first task to last task).
 */
public final class RulesThroughputBenchmark {

    static final String TRIGGER = "bench.push";
    static final String KEY = "bench-key";

    private final Map<String, Integer> args;

    RulesThroughputBenchmark(Map<String, Integer> args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, Integer> args = new HashMap<>(Map.of("events", 100_000, "warmup", 30_000, "rules", 100, "backlog", 200_000,
                "jinja", 0));
        for (String arg : argv) {
            String[] pair = arg.split("=", 2);
            args.put(pair[0], Integer.parseInt(pair[1]));
        }
        new RulesThroughputBenchmark(args).run();
        System.exit(0);
    }

    void run() throws Exception {
        Path root = Path.of(System.getProperty("hookflow.project.root", ".")).toAbsolutePath().normalize();
        Path work = Files.createTempDirectory("hookflow-rules-bench-");
        log("starting Kafka and PostgreSQL in " + work);
        try (BenchStack stack = BenchStack.start(work)) {
            String bootstrapServers = stack.kafka().bootstrapServers();
            int port = Ports.free();
            Map<String, String> env = stack.serviceEnv();
            env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
            // The local profile carries the dev-only secrets key.
            env.put("QUARKUS_PROFILE", "local");
            env.put("HOOKFLOW_BOOTSTRAP_API_KEY", KEY);
            env.put("QUARKUS_LOG_LEVEL", "WARN");
            env.put("JAVA_OPTS", System.getenv().getOrDefault("RULES_JAVA_OPTS", "-Xmx512m -XX:+UseParallelGC"));
            Path jar = root.resolve("rules-service/target/quarkus-app/quarkus-run.jar");
            log("starting rules-service from " + root.relativize(jar));
            int ruleCount = args.get("rules");
            Duration cpuBefore;
            double loadBefore;
            Result measured;
            try (ServiceProcess rules = ServiceProcess.start("rules-service", jar, env, port, work.resolve("rules-service.log"));
                 KafkaProducer<String, String> producer = producer(bootstrapServers);
                 KafkaConsumer<String, String> tasks = consumer(bootstrapServers)) {
                rules.awaitReady(Duration.ofSeconds(120));
                createRules(rules.baseUrl(), ruleCount, args.get("jinja") == 1);
                log("warm-up: " + args.get("warmup") + " events");
                Result warm = drive(producer, tasks, "warm", args.get("warmup"), ruleCount);
                log(String.format("warm-up: %.0f events/s", warm.eventsPerSecond()));
                int events = args.get("events");
                log("burst: " + events + " events published while rules-service consumes");
                cpuBefore = serviceCpu();
                CpuTime.Sample machineBefore = CpuTime.sample();
                loadBefore = load();
                measured = drive(producer, tasks, "run", events, ruleCount);
                Duration cpu = serviceCpu().minus(cpuBefore);
                String split = CpuTime.perItem(CpuTime.sample().since(machineBefore), events, "event");
                double loadAfter = load();
                Thread.sleep(500);
                report(measured, ruleCount, stack.postgres(), args.get("warmup") + events);
                System.out.println(String.format("  rules-service used %.0f ms of CPU per 1000 events (%.0f events per"
                                + " CPU-second); machine load average %.1f before, %.1f after (other work shares the"
                                + " cores)", cpu.toMillis() * 1000.0 / events, events / (cpu.toMillis() / 1000.0),
                        loadBefore, loadAfter));
                System.out.println("  CPU per event during the burst: " + split);
            }
            // A backlog: published while rules-service is stopped, so the producer does not compete for the cores.
            int backlog = args.get("backlog");
            if (backlog > 0) {
                try (KafkaProducer<String, String> producer = producer(bootstrapServers);
                     KafkaConsumer<String, String> tasks = consumer(bootstrapServers)) {
                    log("backlog: " + backlog + " events published while rules-service is stopped");
                    publish(producer, "backlog", backlog, ruleCount);
                    try (ServiceProcess rules = ServiceProcess.start("rules-service", jar, env, port,
                            work.resolve("rules-service-2.log"))) {
                        CpuTime.Sample drainBefore = CpuTime.sample();
                        Result drained = await(tasks, "backlog", backlog, System.nanoTime(), 0);
                        String drainSplit = CpuTime.perItem(CpuTime.sample().since(drainBefore), backlog, "event");
                        System.out.println(String.format("  backlog of %d events drained at %.0f events/s (first task to"
                                        + " last, after a restart: cold JIT included); machine load average %.1f",
                                backlog, drained.eventsPerSecond(), load()));
                        System.out.println("  CPU per event while draining (service start included): " + drainSplit);
                    }
                }
            }
        }
    }

    /**
     * The rules: plain placeholders (the fast path), or with {@code jinja} the same request written with filters and
     * a conditional, which Jinja renders.
     */
    static void createRules(String baseUrl, int count, boolean jinja) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String parameters = jinja
                ? """
                  {"url": "https://ci.example.com/build/{{ trigger.repo | lower }}",
                   "body": {"branch": "{% if trigger.branch %}{{ trigger.branch | upper }}{% else %}none{% endif %}",
                            "n": "{{ trigger.n | int }}"}}"""
                : """
                  {"url": "https://ci.example.com/build/{{ trigger.repo }}",
                   "body": {"branch": "{{ trigger.branch }}", "n": "{{ trigger.n }}"}}""";
        for (int i = 0; i < count; i++) {
            String rule = """
                    {"name": "notify_%d", "pack": "bench", "trigger": {"type": "%s"},
                     "criteria": {"trigger.repo": {"type": "equals", "pattern": "repo-%d"},
                                  "trigger.branch": {"type": "matchwildcard", "pattern": "ma*"}},
                     "action": {"ref": "core.http", "parameters": %s}}"""
                    .formatted(i, TRIGGER, i, parameters);
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/rules"))
                    .header("St2-Api-Key", KEY).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(rule)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException("creating rule " + i + ": " + response.statusCode() + " " + response.body());
            }
        }
        log("created " + count + (jinja ? " Jinja" : " plain-placeholder") + " rules on trigger " + TRIGGER);
    }

    /** Publishes {@code count} events (each matching one rule) and waits for their tasks. */
    static Result drive(KafkaProducer<String, String> producer, KafkaConsumer<String, String> tasks, String run, int count,
                        int ruleCount) throws Exception {
        long begin = System.nanoTime();
        publish(producer, run, count, ruleCount);
        return await(tasks, run, count, begin, System.nanoTime() - begin);
    }

    static void publish(KafkaProducer<String, String> producer, String run, int count, int ruleCount) {
        for (int i = 0; i < count; i++) {
            String id = run + "-" + UUID.randomUUID();
            String event = """
                    {"version":1,"id":"%s","orgId":"default","trigger":"%s","receivedAt":"%s","source":{"webhook":"st2"},\
                    "payload":{"repo":"repo-%d","branch":"main","n":%d},"depth":0}"""
                    .formatted(id, TRIGGER, Instant.now(), i % ruleCount, i);
            producer.send(new ProducerRecord<>(Topics.TRIGGER_EVENTS, TRIGGER, event));
        }
        producer.flush();
    }

    /**
     * Waits for {@code count} tasks of the run; the rate is over [begin, last task], or over [first task, last task]
     * when {@code begin} is the moment waiting started and {@code publishNanos} is 0 (a backlog after a restart).
     */
    static Result await(KafkaConsumer<String, String> tasks, String run, int count, long begin, long publishNanos) {
        String marker = "\"triggerInstanceId\":\"" + run + "-";
        int seen = 0;
        long first = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (seen < count) {
            for (ConsumerRecord<String, String> record : tasks.poll(Duration.ofMillis(100))) {
                if (record.value().contains(marker)) {
                    if (seen++ == 0) {
                        first = System.nanoTime();
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + seen + " of " + count + " tasks within 10 minutes");
            }
        }
        long end = System.nanoTime();
        long from = publishNanos == 0 ? first : begin;
        return new Result(count, (end - from) / 1e9, publishNanos == 0 ? 1e-9 : publishNanos / 1e9);
    }

    static void report(Result measured, int ruleCount, Postgres postgres, int expected) throws Exception {
        long instances;
        long enforcements;
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password());
             Statement statement = connection.createStatement()) {
            instances = single(statement, "select count(*) from rules.trigger_instance where status = 'processed'");
            enforcements = single(statement, "select count(*) from rules.rule_enforcement where status = 'succeeded'");
        }
        System.out.println(String.join("\n", "",
                "Rules throughput benchmark (" + Runtime.getRuntime().availableProcessors() + " cores; rules-service as a"
                        + " separate JVM, Kafka and PostgreSQL on the same machine)",
                String.format("  %d events against %d rules of one trigger type: %.0f events/s consumed, matched, recorded"
                        + " and turned into tasks (target >= 20000/s)", measured.count(), ruleCount, measured.eventsPerSecond()),
                String.format("  producer published them at %.0f events/s", measured.count() / measured.publishSeconds()),
                String.format("  recorded: %d processed trigger instances, %d succeeded enforcements (%d expected each)",
                        instances, enforcements, expected)));
    }

    /** CPU time of the rules-service child process (java -jar .../rules-service/...). */
    static Duration serviceCpu() {
        return ProcessHandle.current().children()
                .filter(child -> child.info().commandLine().orElse("").contains("rules-service"))
                .map(child -> child.info().totalCpuDuration().orElse(Duration.ZERO))
                .findFirst().orElse(Duration.ZERO);
    }

    static double load() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static long single(Statement statement, String sql) throws Exception {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "500");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(Topics.ACTION_TASKS));
        return consumer;
    }

    private static void log(String message) {
        System.out.println("[rules-bench] " + message);
    }

    record Result(int count, double seconds, double publishSeconds) {

        double eventsPerSecond() {
            return count / seconds;
        }
    }
}
