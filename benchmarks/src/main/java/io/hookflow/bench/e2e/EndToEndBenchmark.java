package io.hookflow.bench.e2e;

import io.hookflow.common.event.Topics;
import io.hookflow.stack.AotTraining;
import io.hookflow.stack.LocalStack;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The whole system as a user runs it, measured end to end: starts the stack as deploy/local/run does (same packaged
 * services, JVM options, local profile and durable PostgreSQL, but on free ports with its data under benchmarks/target),
 * registers one rule on a rule-registered webhook, and drives fixed-rate steps of webhooks into ingest with an
 * open-model sender while a target in this JVM notes when each webhook's delivery arrives. Writes results.md, a CSV and
 * PNG plots to a results folder. See docs/benchmarks.md.
 *
 * <pre>
 * benchmarks/run e2e [rates=100,200,400,1000,2000] [seconds=20] [warmup=0] [drain=60] ... (see {@link Settings})
 * </pre>
 */
public final class EndToEndBenchmark {

    static final String API_KEY = "hf_e2e-benchmark-bootstrap-key";
    static final String WEBHOOK = "hook";
    static final String RULES_GROUP = "hookflow-rules";
    static final String DELIVERY_GROUP = "hookflow-delivery";
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Settings settings;
    private final LocalStack stack;
    private final Vertx vertx = Vertx.vertx();
    private final List<Step> earlier = new ArrayList<>();
    private ArrivalTarget target;
    private OpenModelSender sender;
    private StackProbe probe;
    private DatabaseLoad database;
    private long readyNanos;

    EndToEndBenchmark(Settings settings, LocalStack stack) {
        this.settings = settings;
        this.stack = stack;
    }

    public static void main(String[] args) throws Exception {
        // Plots are drawn without a display.
        System.setProperty("java.awt.headless", "true");
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Path root = Path.of(System.getProperty("hookflow.project.root", ".")).toAbsolutePath().normalize();
        String stamp = LocalDateTime.now().format(STAMP);
        Path work = root.resolve("benchmarks/target/e2e-" + stamp);
        Path results = settings.out() != null ? Path.of(settings.out()).toAbsolutePath()
                : root.resolve("benchmarks/results/e2e-" + stamp);
        Duration bound = settings.bound();
        log("settings: " + settings + "; stops by itself within " + bound.toMinutes() + " min");
        log("stack data and logs: " + root.relativize(work) + ", results: " + results);

        Map<String, String> env = new java.util.HashMap<>(Map.of("HOOKFLOW_BOOTSTRAP_API_KEY", API_KEY));
        // JAVA_OPTS replaces the services' JVM options as it does for deploy/local/run (e.g. to add a JFR recording).
        Optional.ofNullable(System.getenv("JAVA_OPTS")).ifPresent(options -> env.put("JAVA_OPTS", options));
        // Which java runs the services, and whether from AOT caches, as for deploy/local/run.
        for (String name : List.of("HOOKFLOW_JAVA", "HOOKFLOW_AOT")) {
            Optional.ofNullable(System.getenv(name)).ifPresent(value -> env.put(name, value));
        }
        LocalStack stack = LocalStack.onFreePorts(root, work, env);
        // Ctrl-C, the watchdog and a normal end all stop the services, then the broker and the database.
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "e2e-stack-stop"));
        startWatchdog(bound);
        int status = 0;
        try {
            // The services' AOT caches on JDK 25 or later, recorded by a training run when missing, as deploy/local/run.
            AotTraining.prepare(root, work.resolve("aot-training"), env, EndToEndBenchmark::log);
            Duration startup = stack.start();
            Report report = new EndToEndBenchmark(settings, stack).run(startup);
            report.write(results, stamp);
            System.out.println();
            System.out.println(report.markdownTables());
            log("results in " + results);
        } catch (Exception e) {
            System.err.println("e2e benchmark failed: " + e);
            e.printStackTrace();
            status = 1;
        } finally {
            stack.close();
            if (!settings.keep()) {
                deleteRecursively(work.resolve("kafka"));
                deleteRecursively(work.resolve("postgres"));
            }
        }
        System.exit(status);
    }

    Report run(Duration startup) throws Exception {
        readyNanos = System.nanoTime();
        String loadBefore = loadAverage();
        target = ArrivalTarget.start(vertx);
        int ingestPort = URI.create(stack.service("ingest-service").baseUrl()).getPort();
        sender = new OpenModelSender(vertx, ingestPort, "/api/v1/webhooks/" + WEBHOOK, API_KEY,
                settings.connections(), settings.timeout(), settings.idempotency());
        probe = StackProbe.of(stack);
        database = new DatabaseLoad(stack.postgres());
        // What starting cost each process (class loading, linking, compiling): the AOT cache's share shows here, and
        // CPU time depends far less on what else runs on the machine than wall time does.
        log("CPU seconds used since start: " + probe.cpuSeconds().entrySet().stream()
                .map(part -> String.format(Locale.ROOT, "%s %.1f", part.getKey(), part.getValue())).toList());
        try {
            registerRule();
            firstDelivery();
            String parked = null;
            if (settings.parked() > 0) {
                parked = new ParkedBacklog(stack, vertx, API_KEY, settings).seed();
            }

            Report.IdleCpu idle = idleCpu();
            Report.Singles before = singles("idle-before", "idle stack, before the steps");

            List<StepResult> steps = new ArrayList<>();
            if (settings.warmup() > 0) {
                int rate = settings.warmupRate();
                steps.add(runStep(new Step("warm", "warm-up", rate, rate * settings.warmup())));
            }
            for (int i = 0; i < settings.rates().size(); i++) {
                int rate = settings.rates().get(i);
                steps.add(runStep(new Step("r" + (i + 1), rate + "/s", rate, rate * settings.seconds())));
            }
            Report.Singles after = singles("idle-after", "idle stack, after the steps");
            return new Report(settings, startup, idle, List.of(before, after), steps, lateArrivals(steps),
                    target.unknown.get(), loadBefore, loadAverage(), stack.data(), serviceJvm(), parked);
        } finally {
            sender.close();
            target.close();
            probe.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** The services' java and the AOT caches they started from, for the report. */
    String serviceJvm() {
        String options = System.getenv().getOrDefault("JAVA_OPTS", "the default JVM options");
        return stack.serviceJava() + " with " + options + (stack.aotCaches().isEmpty() ? ", no AOT cache"
                : ", from AOT caches (" + String.join(", ", new java.util.TreeSet<>(stack.aotCaches().keySet())) + ")");
    }

    /** The rule: webhooks to /webhooks/hook whose body has attribute1 = value1 are posted to the target. */
    void registerRule() throws Exception {
        String rule = """
                {"name": "e2e_benchmark", "pack": "bench", "enabled": true,
                 "trigger": {"type": "core.st2.webhook", "parameters": {"url": "%s"}},
                 "criteria": {"trigger.body.attribute1": {"type": "equals", "pattern": "value1"}},
                 "action": {"ref": "core.http", "parameters": {"url": "%s", "method": "POST",
                   "headers": {"Content-Type": "application/json"},
                   "body": "{\\"attribute1\\": \\"{{ trigger.body.attribute1 }}\\", \\"id\\": \\"{{ trigger.body.id }}\\"}"}}}
                """.formatted(WEBHOOK, target.url());
        // HTTP/1.1, what the services speak (they answer an h2c upgrade offer in HTTP/1.1 too; docs/benchmarks.md).
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> created = client.send(HttpRequest.newBuilder(
                        URI.create(stack.service("rules-service").baseUrl() + "/api/v1/rules"))
                .header("St2-Api-Key", API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(rule)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("rule not created: " + created.statusCode() + " " + created.body());
        }
        log("rule registered; delivering to " + target.url());
    }

    /**
     * Sends one webhook at a time until ingest knows the rule's webhook (it learns it from rule-changes) and one has
     * gone all the way to the target: nothing is measured before the pipeline is known to work.
     */
    void firstDelivery() throws Exception {
        Step probeStep = new Step("probe", "probe", 0, 200);
        target.expect(probeStep);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int i = 0; probeStep.accepted.get() == 0; i++) {
            if (i == probeStep.capacity || System.nanoTime() > deadline) {
                throw new IllegalStateException("ingest did not accept webhooks to /" + WEBHOOK + " within 60 s; last "
                        + probeStep.failure);
            }
            int index = i;
            sender.send(probeStep, index, System.nanoTime());
            waitUntil(() -> probeStep.status.get(index) != Step.NO_ANSWER, Duration.ofSeconds(10));
            if (probeStep.accepted.get() == 0) {
                Thread.sleep(200); // 404 until ingest has read the rule's webhook from rule-changes
            }
        }
        if (!waitUntil(() -> probeStep.arrived.get() > 0, Duration.ofSeconds(60))) {
            throw new IllegalStateException("the first accepted webhook did not reach the target within 60 s; see the logs in "
                    + stack.data().resolve("logs"));
        }
        long planned = 0;
        long arrived = 0;
        for (int i = 0; i < probeStep.capacity; i++) {
            if (probeStep.arrivedNanos.get(i) != 0) {
                planned = probeStep.plannedNanos.get(i);
                arrived = probeStep.arrivedNanos.get(i);
            }
        }
        log(String.format(Locale.ROOT, "first delivery: %.0f ms from send to target", (arrived - planned) / 1e6));
    }

    /** CPU per part while nothing is sent, as % of one core, after a short settle. */
    Report.IdleCpu idleCpu() throws InterruptedException {
        Thread.sleep(3000);
        Map<String, Double> before = probe.cpuSeconds();
        long begin = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(settings.idle()));
        Map<String, Double> after = probe.cpuSeconds();
        double seconds = (System.nanoTime() - begin) / 1e9;
        Map<String, Double> percent = new LinkedHashMap<>();
        after.forEach((part, used) -> percent.put(part, (used - before.getOrDefault(part, 0.0)) * 100 / seconds));
        Report.IdleCpu idle = new Report.IdleCpu(percent, seconds);
        log(String.format(Locale.ROOT, "idle stack: %.1f %% of a core %s", idle.systemPercent(), percent));
        return idle;
    }

    /** Webhooks one at a time on the idle stack, each after the previous one arrived and a pause. */
    Report.Singles singles(String key, String label) throws InterruptedException {
        Step step = new Step(key, label, 0, settings.singles());
        target.expect(step);
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < step.capacity; i++) {
            Thread.sleep(1000);
            int index = i;
            sender.send(step, index, System.nanoTime());
            if (waitUntil(() -> step.arrivedNanos.get(index) != 0, Duration.ofSeconds(30))) {
                millis.add((step.arrivedNanos.get(index) - step.plannedNanos.get(index)) / 1e6);
            }
        }
        Report.Singles singles = new Report.Singles(label, millis, step.capacity - millis.size());
        log(label + ": single webhooks, send -> target ms " + singles.valuesText());
        return singles;
    }

    /** One fixed-rate step: send, then wait for the backlog to drain (up to the drain window), sampling as it goes. */
    StepResult runStep(Step step) throws Exception {
        requireServicesAlive();
        int inherited = earlier.stream().mapToInt(Step::backlog).filter(backlog -> backlog > 0).sum();
        target.expect(step);
        log(String.format(Locale.ROOT, "step %s: %d webhooks at %d/s%s", step.label, step.capacity, step.rate,
                inherited > 0 ? " (" + inherited + " webhooks of earlier steps still undelivered)" : ""));
        double startedAfterReady = (System.nanoTime() - readyNanos) / 1e9;
        Map<String, Double> cpuBefore = probe.cpuSeconds();
        Map<String, Double> databaseBefore = database.snapshot();
        step.startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        Monitor monitor = new Monitor(step);
        Thread sampling = new Thread(monitor, "e2e-monitor");
        sampling.setDaemon(true);
        sampling.start();

        sender.run(step);
        StepResult.Sample atStop = monitor.sample();
        log(String.format(Locale.ROOT, "step %s: sending stopped; backlog %d, trigger-events lag %d, action-tasks lag %d",
                step.label, atStop.backlog(), atStop.triggerEventsLag(), atStop.actionTasksLag()));

        // Every answer, or the request timeout; then the deliveries still inside the system, or the drain window.
        waitUntil(() -> step.accepted.get() + step.failed.get() == step.planned.get(),
                settings.timeout().multipliedBy(2).plusSeconds(5));
        long drainDeadline = step.endNanos + TimeUnit.SECONDS.toNanos(settings.drain());
        waitUntil(step::settled, Duration.ofNanos(Math.max(0, drainDeadline - System.nanoTime())));
        Map<String, Double> cpuAfter = probe.cpuSeconds();
        monitor.stop();
        sampling.join(5000);

        Map<String, Double> cpu = new LinkedHashMap<>();
        cpuAfter.forEach((part, used) -> cpu.put(part, used - cpuBefore.getOrDefault(part, 0.0)));
        // The services' last statistics reach PostgreSQL's view within its idle flush interval.
        Thread.sleep(TimeUnit.SECONDS.toMillis(DatabaseLoad.STATS_DELAY_SECONDS));
        Map<String, Double> databasePerWebhook = DatabaseLoad.perWebhook(databaseBefore, database.snapshot(),
                step.accepted.get());
        StepResult result = StepResult.of(step, startedAfterReady, inherited, cpu, monitor.rssPeak(), databasePerWebhook,
                atStop, monitor.timeline());
        earlier.add(step);
        requireServicesAlive();
        log(String.format(Locale.ROOT, "step %s: accepted %d/%d (%.0f/s), send->target p50 %.1f ms p99 %.1f ms, lost %d,"
                        + " duplicates %d, system CPU %.0f µs per webhook", step.label, result.accepted(), result.sent(),
                result.acceptedPerSecond(), result.latencyMs(50), result.latencyMs(99), result.lost(),
                result.duplicates(), result.systemCpuMicros()));
        return result;
    }

    /** A service that died (an out-of-memory kill, say) makes every later figure meaningless: stop and say so. */
    private void requireServicesAlive() {
        for (String service : List.of("ingest-service", "rules-service", "delivery-service")) {
            for (var replica : stack.service(service).replicas()) {
                if (!replica.isAlive()) {
                    throw new IllegalStateException(service + " has stopped; see " + replica.logFile());
                }
            }
        }
    }

    /** Per step: deliveries that arrived after its drain window had ended (they were reported as lost). */
    private static Map<String, Integer> lateArrivals(List<StepResult> steps) {
        Map<String, Integer> late = new LinkedHashMap<>();
        for (StepResult result : steps) {
            int lostNow = 0;
            for (int i = 0; i < result.sent(); i++) {
                if (result.step().status.get(i) == 202 && result.step().arrivedNanos.get(i) == 0) {
                    lostNow++;
                }
            }
            if (result.lost() > lostNow) {
                late.put(result.step().label, result.lost() - lostNow);
            }
        }
        return late;
    }

    /** Samples a running step once a second: progress, consumer lag, memory; prints a line every few seconds. */
    final class Monitor implements Runnable {
        private final Step step;
        private final List<StepResult.Sample> timeline = new ArrayList<>();
        private final Map<String, Double> rssPeak = new LinkedHashMap<>();
        private volatile boolean running = true;

        Monitor(Step step) {
            this.step = step;
        }

        @Override
        public void run() {
            long next = step.startNanos;
            while (running) {
                StepResult.Sample sample = sample();
                synchronized (this) {
                    timeline.add(sample);
                    probe.rssMb().forEach((service, mb) -> rssPeak.merge(service, mb, Math::max));
                }
                if (timeline.size() % 5 == 0) {
                    log(String.format(Locale.ROOT, "  %s t=%3.0fs accepted %d delivered %d backlog %d lag trigger-events"
                                    + " %d action-tasks %d", step.label, sample.seconds(), sample.accepted(),
                            sample.arrived(), sample.backlog(), sample.triggerEventsLag(), sample.actionTasksLag()));
                }
                next += TimeUnit.SECONDS.toNanos(1);
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
            }
        }

        StepResult.Sample sample() {
            double seconds = (System.nanoTime() - step.startNanos) / 1e9;
            return new StepResult.Sample(seconds, step.accepted.get(), step.arrived.get(),
                    step.backlog(), probe.lag(RULES_GROUP, Topics.TRIGGER_EVENTS),
                    probe.lag(DELIVERY_GROUP, Topics.ACTION_TASKS));
        }

        void stop() {
            running = false;
        }

        synchronized List<StepResult.Sample> timeline() {
            return List.copyOf(timeline);
        }

        synchronized Map<String, Double> rssPeak() {
            return Map.copyOf(rssPeak);
        }
    }

    private static boolean waitUntil(java.util.function.BooleanSupplier condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Ends the JVM (and, by the shutdown hook, the stack) if the run overstays its bound: it must never hang. */
    private static void startWatchdog(Duration bound) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(bound.toMillis());
                System.err.println("e2e benchmark exceeded its bound of " + bound + "; stopping");
                System.exit(3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "e2e-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (Exception e) {
            return "?";
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (Exception e) {
            // A leftover directory under target/ is harmless.
        }
    }

    static void log(String message) {
        System.out.println("[e2e " + java.time.LocalTime.now().withNano(0) + "] " + message);
    }
}
