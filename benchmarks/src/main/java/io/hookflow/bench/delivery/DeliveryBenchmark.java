package io.hookflow.bench.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hookflow.bench.BenchStack;
import io.hookflow.bench.CpuTime;
import io.hookflow.common.event.ActionTask;
import io.hookflow.common.event.OutboundRequest;
import io.hookflow.common.event.Topics;
import io.hookflow.stack.Ports;
import io.hookflow.stack.Postgres;
import io.hookflow.stack.ServiceProcess;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Drives tasks through the packaged delivery-service (a separate process, with a real Kafka broker and PostgreSQL) to a
 * local HTTP target, and compares with the same Vert.x HttpClient sending straight to the same target.
 *
 * <pre>
 * benchmarks/run io.hookflow.bench.delivery.DeliveryBenchmark [warmup=10000] [tasks=4000] [latencyTasks=600] [latencyRate=100]
 * </pre>
 *
 * Warm-up: {@code warmup} tasks at once and five seconds of paced ones, through both paths, before anything is
 * measured. A service runs for days; without it the figures are the JIT compiler's, which takes half of delivery's CPU
 * for the first tens of seconds.
 *
 * Throughput: a burst of {@code tasks} tasks published at once; deliveries/s = tasks / (first publish .. last request
 * received). Latency: {@code latencyTasks} tasks published at {@code latencyRate}/s (no backlog), task published ->
 * request received at the target (the publish time travels in a header). The raw client gets the same two runs with
 * the same concurrency (64, delivery's default in-flight limit). Every execution and attempt is checked in PostgreSQL.
 */
public final class DeliveryBenchmark {

    static final int CONCURRENCY = 64;
    static final String SENT_HEADER = "X-Bench-Sent-Micros";
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final Map<String, Integer> args;
    private final Vertx vertx = Vertx.vertx();
    /** Per run: requests received and their latency (micros), written from the target's event loop. */
    private volatile Run current;

    DeliveryBenchmark(Map<String, Integer> args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, Integer> args = new HashMap<>(Map.of("warmup", 10000, "tasks", 4000, "latencyTasks", 600, "latencyRate", 100));
        for (String arg : argv) {
            String[] pair = arg.split("=", 2);
            args.put(pair[0], Integer.parseInt(pair[1]));
        }
        new DeliveryBenchmark(args).run();
        System.exit(0);
    }

    void run() throws Exception {
        // benchmarks/run passes the project root.
        Path root = Path.of(System.getProperty("hookflow.project.root", ".")).toAbsolutePath().normalize();
        Path work = Files.createTempDirectory("hookflow-delivery-bench-");
        log("starting Kafka and PostgreSQL in " + work);
        try (BenchStack stack = BenchStack.start(work)) {
            String bootstrapServers = stack.kafka().bootstrapServers();
            int targetPort = startTarget();
            int servicePort = Ports.free();
            Map<String, String> env = stack.serviceEnv();
            env.put("QUARKUS_HTTP_PORT", String.valueOf(servicePort));
            // The local profile: http to loopback allowed, the dev-only secrets key.
            env.put("QUARKUS_PROFILE", "local");
            env.put("HOOKFLOW_BOOTSTRAP_API_KEY", "bench-key");
            env.put("QUARKUS_LOG_LEVEL", "WARN");
            // One target here: let it use the whole in-flight budget, the concurrency the raw client gets too.
            env.put("HOOKFLOW_DELIVERY_MAX_IN_FLIGHT_PER_DESTINATION", String.valueOf(CONCURRENCY));
            env.put("JAVA_OPTS", System.getenv().getOrDefault("DELIVERY_JAVA_OPTS", "-Xmx512m -XX:+UseParallelGC"));
            Path jar = root.resolve("delivery-service/target/quarkus-app/quarkus-run.jar");
            log("starting delivery-service from " + root.relativize(jar));
            try (ServiceProcess delivery = ServiceProcess.start("delivery-service", jar, env, servicePort,
                    work.resolve("delivery-service.log"))) {
                delivery.awaitReady(Duration.ofSeconds(120));
                try (KafkaProducer<String, String> producer = producer(bootstrapServers)) {
                    String url = "http://127.0.0.1:" + targetPort;
                    int warmup = args.get("warmup");
                    int warmPaced = Math.max(100, args.get("latencyRate") * 5);
                    log("warm-up: " + warmup + " deliveries at once and " + warmPaced + " paced, the same raw");
                    hookflow(producer, url + "/warm", warmup, 0);
                    raw(url + "/warm-raw", warmup, 0);
                    hookflow(producer, url + "/warm", warmPaced, args.get("latencyRate"));
                    raw(url + "/warm-raw", warmPaced, args.get("latencyRate"));

                    int tasks = args.get("tasks");
                    log("throughput: " + tasks + " tasks at once, then " + tasks + " raw requests");
                    CpuTime.Sample before = CpuTime.sample();
                    Result viaHookflow = hookflow(producer, url + "/burst", tasks, 0);
                    String cpu = CpuTime.perItem(CpuTime.sample().since(before), tasks, "delivery");
                    CpuTime.Sample rawBefore = CpuTime.sample();
                    Result direct = raw(url + "/burst-raw", tasks, 0);
                    String rawCpu = CpuTime.perItem(CpuTime.sample().since(rawBefore), tasks, "request");

                    int latencyTasks = args.get("latencyTasks");
                    int rate = args.get("latencyRate");
                    log("latency: " + latencyTasks + " tasks at " + rate + "/s, then the same raw");
                    Result pacedHookflow = hookflow(producer, url + "/paced", latencyTasks, rate);
                    Result pacedRaw = raw(url + "/paced-raw", latencyTasks, rate);

                    log("Kafka alone: " + latencyTasks + " records at " + rate + "/s, published -> consumed");
                    Result kafkaHop = kafkaHop(producer, bootstrapServers, latencyTasks, rate);

                    Recorded recorded = recorded(stack.postgres());
                    report(viaHookflow, direct, cpu, rawCpu, pacedHookflow, pacedRaw, kafkaHop, recorded,
                            warmup + warmPaced + tasks + latencyTasks);
                }
            }
        } finally {
            vertx.close();
        }
    }

    /** Answers 200 at once and records how long each request took since its sender stamped it. */
    int startTarget() throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onComplete(body -> {
            String sent = request.getHeader(SENT_HEADER);
            Run run = current;
            if (sent != null && run != null) {
                run.received(nowMicros() - Long.parseLong(sent));
            }
            request.response().setStatusCode(200).end();
        }));
        return server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .actualPort();
    }

    Result hookflow(KafkaProducer<String, String> producer, String url, int count, int ratePerSecond) throws Exception {
        Run run = new Run(count);
        current = run;
        long begin = System.nanoTime();
        for (int i = 0; i < count; i++) {
            pace(begin, i, ratePerSecond);
            String id = UUID.randomUUID().toString();
            OutboundRequest request = new OutboundRequest("POST", url, Map.of("Content-Type", "application/json",
                    SENT_HEADER, String.valueOf(nowMicros())), "{\"n\":" + i + "}", null, null, null, null);
            ActionTask task = new ActionTask(1, id, "default", id, "bench.delivery", "bench-rule", "bench.rule",
                    "core.http", request, Instant.now(), 0);
            producer.send(new ProducerRecord<>(Topics.ACTION_TASKS, id, JSON.writeValueAsString(task)));
        }
        producer.flush();
        return run.await(begin, Duration.ofMinutes(5));
    }

    Result raw(String url, int count, int ratePerSecond) throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(CONCURRENCY));
        Run run = new Run(count);
        current = run;
        Semaphore slots = new Semaphore(CONCURRENCY);
        long begin = System.nanoTime();
        for (int i = 0; i < count; i++) {
            pace(begin, i, ratePerSecond);
            slots.acquire();
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                    .putHeader("Content-Type", "application/json").putHeader(SENT_HEADER, String.valueOf(nowMicros()));
            Buffer body = Buffer.buffer("{\"n\":" + i + "}");
            client.request(options)
                    .compose(request -> request.send(body))
                    .compose(response -> response.body().map(ignored -> response.statusCode()))
                    .onComplete(done -> slots.release());
        }
        Result result = run.await(begin, Duration.ofMinutes(2));
        client.close();
        return result;
    }

    /** The broker's share of the latency: the same paced publishing, read back by a plain consumer. */
    Result kafkaHop(KafkaProducer<String, String> producer, String bootstrap, int count, int ratePerSecond)
            throws Exception {
        String topic = "bench-kafka-hop";
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Run warmUp = new Run(1);
        Run measured = new Run(count);
        Thread reader = new Thread(() -> {
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                while (measured.done.getCount() > 0) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        (record.key().equals("warm") ? warmUp : measured).received(nowMicros() - Long.parseLong(record.value()));
                    }
                }
            }
        }, "bench-kafka-hop");
        reader.setDaemon(true);
        reader.start();
        // The first record creates the topic; measure only once the consumer has joined and read it.
        producer.send(new ProducerRecord<>(topic, "warm", String.valueOf(nowMicros()))).get();
        warmUp.await(System.nanoTime(), Duration.ofSeconds(60));
        long begin = System.nanoTime();
        for (int i = 0; i < count; i++) {
            pace(begin, i, ratePerSecond);
            producer.send(new ProducerRecord<>(topic, String.valueOf(i), String.valueOf(nowMicros())));
        }
        producer.flush();
        return measured.await(begin, Duration.ofMinutes(1));
    }

    private static void pace(long beginNanos, int index, int ratePerSecond) throws InterruptedException {
        if (ratePerSecond <= 0) {
            return;
        }
        long due = beginNanos + index * 1_000_000_000L / ratePerSecond;
        long wait = due - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    Recorded recorded(Postgres postgres) throws Exception {
        // The outbox relay and the last transactions may trail the last request by a moment.
        Thread.sleep(1000);
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(),
                postgres.password()); Statement statement = connection.createStatement()) {
            long succeeded = single(statement, "select count(*) from delivery.execution where status = 'SUCCEEDED'");
            long executions = single(statement, "select count(*) from delivery.execution");
            long attempts = single(statement, "select count(*) from delivery.attempt where outcome = 'SUCCESS'");
            // Where the paced run's time goes: publish -> execution row committed -> attempt started.
            String stages;
            try (ResultSet rows = statement.executeQuery("""
                    with paced as (
                        select extract(epoch from e.created_at) * 1000
                                   - (e.request -> 'headers' ->> 'X-Bench-Sent-Micros')::bigint / 1000.0 as intake_ms,
                               extract(epoch from (a.started_at - e.created_at)) * 1000 as claim_ms
                        from delivery.execution e join delivery.attempt a on a.execution_id = e.id
                        where e.request ->> 'url' like '%/paced')
                    select percentile_cont(0.5) within group (order by intake_ms),
                           percentile_cont(0.5) within group (order by claim_ms)
                    from paced""")) {
                rows.next();
                stages = String.format("publish -> row recorded p50 %.1f ms, row recorded -> attempt started p50 %.1f ms",
                        rows.getDouble(1), rows.getDouble(2));
            }
            return new Recorded(executions, succeeded, attempts, stages);
        }
    }

    private static long single(Statement statement, String sql) throws Exception {
        try (ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    void report(Result hookflow, Result raw, String cpu, String rawCpu, Result pacedHookflow, Result pacedRaw, Result kafkaHop, Recorded recorded,
                int expected) {
        double ratio = hookflow.perSecond() / raw.perSecond();
        double addedP50 = pacedHookflow.p(50) - pacedRaw.p(50);
        String report = String.join("\n",
                "",
                "Delivery benchmark (" + Runtime.getRuntime().availableProcessors() + " cores; delivery-service as a"
                        + " separate JVM, Kafka and PostgreSQL on the same machine)",
                String.format("  throughput  hookflow %8.0f deliveries/s   raw client %8.0f requests/s   ratio %.0f%%"
                        + " (target >= 40%%)", hookflow.perSecond(), raw.perSecond(), ratio * 100),
                String.format("  burst latency (ms, incl. queueing)  hookflow p50 %.1f p95 %.1f p99 %.1f   raw p50 %.1f",
                        hookflow.p(50), hookflow.p(95), hookflow.p(99), raw.p(50)),
                "  CPU per delivery during the burst: " + cpu,
                "  CPU per raw request: " + rawCpu,
                String.format("  paced latency at %d/s (ms)  hookflow p50 %.1f p95 %.1f p99 %.1f max %.1f   raw p50 %.2f"
                                + " p99 %.2f", args.get("latencyRate"), pacedHookflow.p(50), pacedHookflow.p(95),
                        pacedHookflow.p(99), pacedHookflow.max(), pacedRaw.p(50), pacedRaw.p(99)),
                String.format("  added p50 latency %.1f ms (target < 10 ms)", addedP50),
                "  paced stages: " + recorded.pacedStages(),
                String.format("  Kafka alone at the same rate: published -> consumed p50 %.1f ms, p95 %.1f ms",
                        kafkaHop.p(50), kafkaHop.p(95)),
                String.format("  recorded: %d executions (%d expected), %d SUCCEEDED, %d successful attempts",
                        recorded.executions(), expected, recorded.succeeded(), recorded.attempts()));
        System.out.println(report);
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    private static void log(String message) {
        System.out.println("[delivery-bench] " + message);
    }

    /** One run's receipts at the target. */
    static final class Run {
        final Histogram latencyMicros = new Histogram(TimeUnit.MINUTES.toMicros(5), 3);
        final CountDownLatch done;
        final AtomicInteger received = new AtomicInteger();
        volatile long lastNanos;

        Run(int expected) {
            this.done = new CountDownLatch(expected);
        }

        synchronized void received(long micros) {
            latencyMicros.recordValue(Math.max(0, Math.min(micros, latencyMicros.getHighestTrackableValue())));
            received.incrementAndGet();
            lastNanos = System.nanoTime();
            done.countDown();
        }

        Result await(long beginNanos, Duration timeout) throws InterruptedException {
            if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("only " + received.get() + " requests arrived within " + timeout);
            }
            synchronized (this) {
                return new Result(received.get(), (lastNanos - beginNanos) / 1e9, latencyMicros.copy());
            }
        }
    }

    record Result(int count, double seconds, Histogram latencyMicros) {

        double perSecond() {
            return count / seconds;
        }

        double p(double percentile) {
            return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }

        double max() {
            return latencyMicros.getMaxValue() / 1000.0;
        }
    }

    record Recorded(long executions, long succeeded, long attempts, String pacedStages) {
    }
}
