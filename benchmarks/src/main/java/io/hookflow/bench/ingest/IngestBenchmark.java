package io.hookflow.bench.ingest;

import io.hookflow.bench.BenchStack;
import io.hookflow.stack.Ports;
import io.hookflow.stack.ServiceProcess;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Accepted webhooks per second and latency of {@code POST /api/v1/webhooks/st2} on this machine, side by side with a
 * bare endpoint of the same service that answers 202 and does nothing ({@code POST /api/v1/bench/noop}, switched on
 * for this run only). Both go through the same Quarkus HTTP stack, body limit and API-key check; the difference is
 * what ingest does per webhook: parse, validate, publish to Kafka and wait for the acknowledgement.
 *
 * <p>Starts a real broker, PostgreSQL and the packaged ingest-service as a process, then for each endpoint: a closed
 * loop ({@code concurrency} requests in flight) for the maximum throughput, and an open loop at half of the st2
 * webhook's maximum rate for latency percentiles, measured from each request's scheduled start (so a stall is not
 * hidden by requests that were never sent). Run: {@code benchmarks/run io.hookflow.bench.ingest.IngestBenchmark
 * [seconds per measurement, split into 3 alternating rounds; default 15] [concurrency, default 64]}.
 */
public final class IngestBenchmark {

    static final String KEY = "bench-bootstrap-key";
    static final String ST2 = "/api/v1/webhooks/st2";
    static final String BARE = "/api/v1/bench/noop";
    static final Buffer BODY = Buffer.buffer("""
            {"trigger": "bench.pushed", "payload": {"ref": "refs/heads/main", "repository": "hookflow/hookflow",
             "commits": [{"id": "8f2c1e0", "message": "a commit message of ordinary length"}], "n": 1}}""");

    private final Vertx vertx;
    private final HttpClient client;
    private final int port;

    IngestBenchmark(Vertx vertx, int port, int concurrency) {
        this.vertx = vertx;
        this.port = port;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setDefaultHost("127.0.0.1").setDefaultPort(port), new PoolOptions().setHttp1MaxSize(concurrency)
                .setMaxWaitQueueSize(-1));
    }

    public static void main(String[] args) throws Exception {
        Duration phase = Duration.ofSeconds(args.length > 0 ? Integer.parseInt(args[0]) : 15);
        int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        Path root = Path.of(System.getProperty("hookflow.project.root", ".")).toAbsolutePath();
        Path work = Files.createTempDirectory("hookflow-bench-ingest-");

        System.out.println("starting Kafka and PostgreSQL ...");
        BenchStack stack = BenchStack.start(work);
        int port = Ports.free();
        Map<String, String> env = stack.serviceEnv();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("HOOKFLOW_BOOTSTRAP_API_KEY", KEY);
        env.put("HOOKFLOW_INGEST_BENCH_ENDPOINT_ENABLED", "true");
        env.put("QUARKUS_LOG_LEVEL", "WARN");
        // BENCH_INGEST_<VAR>=value reaches the service as <VAR>=value: to try settings without rebuilding.
        System.getenv().forEach((name, value) -> {
            if (name.startsWith("BENCH_INGEST_")) {
                env.put(name.substring("BENCH_INGEST_".length()), value);
            }
        });
        // As in the container image: run-java.sh uses the parallel collector, and the heap stays below the 512Mi limit
        // (k8s/base/ingest-service.yaml). The local runner's serial collector on 256m shows 4x the p99 here.
        String javaOpts = System.getenv("BENCH_SERVICE_JAVA_OPTS");
        env.put("JAVA_OPTS", javaOpts != null && !javaOpts.isBlank() ? javaOpts : "-Xmx384m -XX:+UseParallelGC");
        Path log = work.resolve("ingest-service.log");
        System.out.println("starting ingest-service ...");
        Vertx vertx = Vertx.vertx();
        try (stack;
             ServiceProcess ingest = ServiceProcess.start("ingest-service",
                     root.resolve("ingest-service/target/quarkus-app/quarkus-run.jar"), env, port, log)) {
            ingest.awaitReady(Duration.ofSeconds(120));
            new IngestBenchmark(vertx, port, concurrency).run(phase, concurrency);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            deleteRecursively(work);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (java.io.IOException e) {
            // A leftover temp directory is harmless.
        }
    }

    void run(Duration phase, int concurrency) throws Exception {
        String loadBefore = loadAverage();
        Duration warmup = Duration.ofSeconds(Math.max(3, phase.toSeconds() / 3));
        System.out.printf("warming up both endpoints (%d s each) ...%n", warmup.toSeconds());
        closedLoop(BARE, concurrency, warmup);
        closedLoop(ST2, concurrency, warmup);

        // Alternating rounds, so both endpoints meet the same background load of a shared machine; the best round of
        // each is its maximum (noise only ever slows a round down).
        Duration round = phase.dividedBy(ROUNDS);
        Result bareMax = null;
        Result st2Max = null;
        Cpu bareCpu = null;
        Cpu st2Cpu = null;
        for (int i = 0; i < ROUNDS; i++) {
            Duration service = cpuOf(SERVICE_MARKER);
            Duration brokerCpu = cpuOf(BROKER_MARKER);
            Result bare = closedLoop(BARE, concurrency, round);
            if (bareMax == null || bare.perSecond() > bareMax.perSecond()) {
                bareMax = bare;
                bareCpu = cpu(bare, service, brokerCpu);
            }
            service = cpuOf(SERVICE_MARKER);
            brokerCpu = cpuOf(BROKER_MARKER);
            Result st2 = closedLoop(ST2, concurrency, round);
            if (st2Max == null || st2.perSecond() > st2Max.perSecond()) {
                st2Max = st2;
                st2Cpu = cpu(st2, service, brokerCpu);
            }
        }
        double rate = st2Max.perSecond() / 2;
        Result bareOpen = null;
        Result st2Open = null;
        for (int i = 0; i < ROUNDS; i++) {
            bareOpen = merge(bareOpen, openLoop(BARE, rate, round));
            st2Open = merge(st2Open, openLoop(ST2, rate, round));
        }

        System.out.println();
        // Broker, database, service and load generator share this machine; other work on it shows in the tails.
        System.out.printf("cores: %d, load average before / after: %s / %s%n", Runtime.getRuntime().availableProcessors(),
                loadBefore, loadAverage());
        System.out.printf(Locale.ROOT, "closed loop, %d in flight, best of %d rounds of %d s:%n", concurrency, ROUNDS,
                round.toSeconds());
        System.out.println("  bare 202 endpoint : " + bareMax);
        System.out.println("                      " + bareCpu);
        System.out.println("  POST webhooks/st2 : " + st2Max);
        System.out.println("                      " + st2Cpu);
        System.out.printf(Locale.ROOT, "  st2 / bare throughput: %.0f%% (target >= 50%%)%n",
                100 * st2Max.perSecond() / bareMax.perSecond());
        System.out.printf(Locale.ROOT, "open loop at %.0f req/s (half the st2 maximum), %d rounds of %d s:%n", rate,
                ROUNDS, round.toSeconds());
        System.out.println("  bare 202 endpoint : " + bareOpen);
        System.out.println("  POST webhooks/st2 : " + st2Open);
        System.out.printf(Locale.ROOT, "  st2 p99: %.2f ms (target < 25 ms)%n", st2Open.latency().getValueAtPercentile(99) / 1e6);
    }

    static final int ROUNDS = 3;

    /**
     * CPU time so far of our child JVMs: the service (its command line names its jar), or else the broker (the only
     * other JVM we start; its command line, a long classpath, is not always readable through ProcessHandle).
     */
    static Duration cpuOf(String marker) {
        return ProcessHandle.current().descendants()
                .filter(process -> process.info().command().map(command -> command.endsWith("java")).orElse(false))
                .filter(process -> isService(process) == SERVICE_MARKER.equals(marker))
                .map(process -> process.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    private static boolean isService(ProcessHandle process) {
        return process.info().commandLine().map(line -> line.contains(SERVICE_MARKER)).orElse(false);
    }

    /** CPU microseconds per accepted request spent in the service and in the broker during one measurement. */
    record Cpu(double serviceMicros, double brokerMicros) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "CPU per accepted request: service %.0f us, broker %.0f us",
                    serviceMicros, brokerMicros);
        }
    }

    private static String loadAverage() {
        try {
            return String.join(" ", Arrays.asList(Files.readString(Path.of("/proc/loadavg")).trim().split(" ")).subList(0, 3));
        } catch (java.io.IOException | RuntimeException e) {
            return "n/a";
        }
    }

    static final String SERVICE_MARKER = "ingest-service/target/quarkus-app/quarkus-run.jar";
    static final String BROKER_MARKER = "kafka.Kafka";

    private static Cpu cpu(Result result, Duration serviceBefore, Duration brokerBefore) {
        double requests = Math.max(1, result.ok());
        return new Cpu(cpuOf(SERVICE_MARKER).minus(serviceBefore).toNanos() / 1e3 / requests,
                cpuOf(BROKER_MARKER).minus(brokerBefore).toNanos() / 1e3 / requests);
    }

    private static Result merge(Result current, Result next) {
        if (current == null) {
            return next;
        }
        Histogram latency = current.latency().copy();
        latency.add(next.latency());
        return new Result(current.ok() + next.ok(), current.failed() + next.failed(),
                current.elapsedNanos() + next.elapsedNanos(), latency);
    }

    /** A fixed number of requests always in flight: the maximum rate the endpoint sustains. */
    Result closedLoop(String path, int concurrency, Duration duration) throws InterruptedException {
        Recorder recorder = new Recorder(3);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(concurrency);
        long start = System.nanoTime();
        for (int i = 0; i < concurrency; i++) {
            vertx.runOnContext(ignored -> loop(path, recorder, ok, failed, stop, done));
        }
        Thread.sleep(duration.toMillis());
        stop.set(true);
        long elapsed = System.nanoTime() - start;
        done.await(30, TimeUnit.SECONDS);
        return new Result(ok.get(), failed.get(), elapsed, recorder.getIntervalHistogram());
    }

    private void loop(String path, Recorder recorder, AtomicLong ok, AtomicLong failed, AtomicBoolean stop,
                      CountDownLatch done) {
        if (stop.get()) {
            done.countDown();
            return;
        }
        long sent = System.nanoTime();
        send(path).onComplete(result -> {
            if (result.succeeded() && result.result() == 202) {
                ok.incrementAndGet();
                recorder.recordValue(System.nanoTime() - sent);
            } else {
                failed.incrementAndGet();
            }
            loop(path, recorder, ok, failed, stop, done);
        });
    }

    /** Requests sent at a fixed rate whatever the answers do; latency counts from each request's scheduled time. */
    Result openLoop(String path, double perSecond, Duration duration) throws InterruptedException {
        Recorder recorder = new Recorder(3);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long total = (long) (perSecond * duration.toSeconds());
        double intervalNanos = 1e9 / perSecond;
        CountDownLatch done = new CountDownLatch((int) total);
        long start = System.nanoTime();
        AtomicLong scheduled = new AtomicLong();
        long timer = vertx.setPeriodic(1, id -> {
            long due = Math.min(total, (long) ((System.nanoTime() - start) / intervalNanos) + 1);
            while (scheduled.get() < due) {
                long intended = start + (long) (scheduled.getAndIncrement() * intervalNanos);
                send(path).onComplete(result -> {
                    if (result.succeeded() && result.result() == 202) {
                        ok.incrementAndGet();
                        recorder.recordValue(Math.max(0, System.nanoTime() - intended));
                    } else {
                        failed.incrementAndGet();
                    }
                    done.countDown();
                });
            }
        });
        done.await(duration.toSeconds() + 60, TimeUnit.SECONDS);
        vertx.cancelTimer(timer);
        return new Result(ok.get(), failed.get(), System.nanoTime() - start, recorder.getIntervalHistogram());
    }

    private io.vertx.core.Future<Integer> send(String path) {
        return client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(path)
                        .putHeader("St2-Api-Key", KEY).putHeader("Content-Type", "application/json"))
                .compose(request -> request.send(BODY))
                .compose(response -> response.body().map(body -> response.statusCode()));
    }

    record Result(long ok, long failed, long elapsedNanos, Histogram latency) {

        double perSecond() {
            return ok * 1e9 / elapsedNanos;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%8.0f req/s accepted (%d ok, %d failed); latency p50 %.2f ms, p90 %.2f ms, "
                            + "p99 %.2f ms, p99.9 %.2f ms, max %.2f ms",
                    perSecond(), ok, failed, latency.getValueAtPercentile(50) / 1e6,
                    latency.getValueAtPercentile(90) / 1e6, latency.getValueAtPercentile(99) / 1e6,
                    latency.getValueAtPercentile(99.9) / 1e6, latency.getMaxValue() / 1e6);
        }
    }
}
