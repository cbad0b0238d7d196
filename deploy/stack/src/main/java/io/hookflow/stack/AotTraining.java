package io.hookflow.stack;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The training run that records the services' AOT caches ({@link AotCache}): the same stack on free ports, every
 * service started with {@code -XX:AOTCacheOutput}, one rule, a few thousand webhooks through the whole pipeline (most
 * delivered to a local target, some not matching), a few reads of each API, then every service stopped in order and
 * given the time its JVM needs to write the cache at exit. Runs only when a service's cache is missing or stale and the
 * services run on JDK 25 or later; deploy/local/run and the end-to-end benchmark call {@link #prepare} before they
 * start the stack, so both start the same way. {@code java ... io.hookflow.stack.AotTraining} alone records them (the
 * Dockerfile's training stage).
 */
public final class AotTraining {

    static final String API_KEY = "hf_aot-training-bootstrap-key";
    static final int WEBHOOKS = 3000;
    static final int RATE = 200;
    /** Every fifth webhook does not match the rule: the criteria's other branch. */
    static final int NOT_MATCHING_EVERY = 5;
    /** The JVM writes its cache at exit (in a child JVM it forks): far longer than an ordinary stop. */
    static final Duration EXIT_GRACE = Duration.ofMinutes(4);

    private AotTraining() {
    }

    /** Records every service's cache (deleting the old ones first): the Dockerfile's training stage. */
    public static void main(String[] args) {
        Path root = ProjectRoot.find();
        Map<String, String> env = System.getenv();
        ServiceJava java = ServiceJava.detect(env);
        if (!java.hasAotCache()) {
            System.err.println("AOT caches need JDK " + AotCache.MIN_FEATURE + " or later; the services run on " + java);
            System.exit(2);
        }
        boolean recorded = record(root, root.resolve("target/aot-training"), env, AotTraining::log);
        System.exit(recorded ? 0 : 1);
    }

    /**
     * Before a stack starts: when the services run on JDK 25 or later (and HOOKFLOW_AOT is not off) and some service
     * has no current cache, records them all with a training run in {@code work} (deleted afterwards). A failed
     * training run is reported and the stack then starts without caches.
     */
    public static void prepare(Path root, Path work, Map<String, String> env, Consumer<String> log) {
        ServiceJava java = ServiceJava.detect(env);
        if (!AotCache.enabled(env, java)) {
            return;
        }
        String javaOptions = env.getOrDefault("JAVA_OPTS", ServiceProcess.DEFAULT_JAVA_OPTS);
        List<String> stale = LocalStack.SERVICE_ORDER.stream()
                .filter(name -> !AotCache.of(LocalStack.quarkusRunJar(root, env, name), java, javaOptions).isCurrent())
                .toList();
        if (stale.isEmpty()) {
            return;
        }
        log.accept("no current AOT cache for " + stale + " on " + java + ": recording them with a training run"
                + " (once per build; HOOKFLOW_AOT=off skips it)");
        try {
            record(root, work, env, log);
        } catch (RuntimeException e) {
            log.accept("the AOT training run failed (" + e.getMessage() + "); starting without caches");
        }
    }

    static boolean record(Path root, Path work, Map<String, String> env, Consumer<String> log) {
        long begin = System.nanoTime();
        deleteRecursively(work);
        Map<String, String> trainingEnv = new HashMap<>(env);
        trainingEnv.put("HOOKFLOW_BOOTSTRAP_API_KEY", API_KEY);
        trainingEnv.remove("KAFKA_BOOTSTRAP_SERVERS");
        trainingEnv.remove("QUARKUS_DATASOURCE_JDBC_URL");
        LocalStack stack = LocalStack.onFreePorts(root, work, trainingEnv).recordingAotCaches();
        // Ctrl-C during training stops its stack too.
        Thread stopOnSignal = new Thread(stack::close, "aot-training-stop");
        Runtime.getRuntime().addShutdownHook(stopOnSignal);
        try (RequestSink target = RequestSink.start(0)) {
            stack.start();
            drive(stack, target, log);
            // In order, each given the time to write its cache: ingest stops taking webhooks first.
            for (String name : LocalStack.SERVICE_ORDER) {
                for (ServiceProcess replica : stack.service(name).replicas()) {
                    if (replica.terminate(EXIT_GRACE).isEmpty()) {
                        log.accept(name + " did not exit within " + EXIT_GRACE.toSeconds() + " s; killed");
                    }
                }
            }
        } finally {
            stack.close();
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnSignal);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running already.
            }
        }
        boolean recorded = true;
        for (Map.Entry<String, AotCache> cache : stack.aotCaches().entrySet()) {
            if (cache.getValue().commitRecording()) {
                log.accept(cache.getKey() + ": AOT cache " + cache.getValue().file() + " ("
                        + size(cache.getValue().file()) + ")");
            } else {
                recorded = false;
                log.accept(cache.getKey() + ": its JVM wrote no AOT cache; see "
                        + root.relativize(work.resolve("logs/" + cache.getKey() + ".log")));
            }
        }
        log.accept("AOT training run done in " + (System.nanoTime() - begin) / 1_000_000_000 + " s");
        if (recorded) {
            deleteRecursively(work);
        }
        return recorded;
    }

    /** One rule, then webhooks at a fixed rate, a few API reads, and a wait for the deliveries. */
    private static void drive(LocalStack stack, RequestSink target, Consumer<String> log) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        String rule = """
                {"name": "aot_training", "pack": "training", "enabled": true,
                 "trigger": {"type": "core.st2.webhook", "parameters": {"url": "train"}},
                 "criteria": {"trigger.body.attribute1": {"type": "equals", "pattern": "value1"}},
                 "action": {"ref": "core.http", "parameters": {"url": "%s", "method": "POST",
                   "headers": {"Content-Type": "application/json"},
                   "body": "{\\"attribute1\\": \\"{{ trigger.body.attribute1 }}\\", \\"id\\": \\"{{ trigger.body.id }}\\"}"}}}
                """.formatted(target.url("/train"));
        HttpResponse<String> created = send(client, post(stack.service("rules-service").baseUrl() + "/api/v1/rules", rule));
        if (created.statusCode() != 201) {
            throw new IllegalStateException("training rule not created: " + created.statusCode() + " " + created.body());
        }
        String webhooks = stack.service("ingest-service").baseUrl() + "/api/v1/webhooks/train";
        // 404 until ingest has read the rule's webhook from rule-changes.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (send(client, post(webhooks, body(-1))).statusCode() != 202) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ingest did not accept training webhooks within 60 s");
            }
            sleep(200);
        }
        log.accept("training: " + WEBHOOKS + " webhooks at " + RATE + "/s");
        Semaphore inFlight = new Semaphore(64);
        AtomicInteger accepted = new AtomicInteger();
        long start = System.nanoTime();
        for (int i = 0; i < WEBHOOKS; i++) {
            long due = start + i * 1_000_000_000L / RATE;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                sleep(TimeUnit.NANOSECONDS.toMillis(wait));
            }
            inFlight.acquireUninterruptibly();
            client.sendAsync(post(webhooks, body(i)), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, failure) -> {
                        if (response != null && response.statusCode() == 202) {
                            accepted.incrementAndGet();
                        }
                        inFlight.release();
                    });
            if (i % 500 == 0) {
                readApis(client, stack);
            }
        }
        inFlight.acquireUninterruptibly(64);
        int matching = (int) (WEBHOOKS - Math.ceil(WEBHOOKS / (double) NOT_MATCHING_EVERY));
        long drain = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (target.requestsTo("/train").size() < matching * accepted.get() / WEBHOOKS && System.nanoTime() < drain) {
            sleep(500);
        }
        readApis(client, stack);
        log.accept("training: " + accepted.get() + " accepted, " + target.requestsTo("/train").size() + " delivered");
    }

    private static void readApis(HttpClient client, LocalStack stack) {
        List<String> reads = List.of(
                stack.service("rules-service").baseUrl() + "/api/v1/rules",
                stack.service("delivery-service").baseUrl() + "/api/v1/executions?limit=20",
                stack.service("ingest-service").baseUrl() + "/q/health/ready",
                stack.service("delivery-service").baseUrl() + "/q/metrics");
        CompletableFuture.allOf(reads.stream().map(url -> client.sendAsync(HttpRequest.newBuilder(URI.create(url))
                                .header("St2-Api-Key", API_KEY).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.discarding()).exceptionally(ignored -> null))
                .toArray(CompletableFuture[]::new)).join();
    }

    private static String body(int i) {
        return "{\"attribute1\": \"" + (i % NOT_MATCHING_EVERY == NOT_MATCHING_EVERY - 1 ? "other" : "value1")
                + "\", \"id\": \"train-" + i + "\"}";
    }

    private static HttpRequest post(String url, String json) {
        return HttpRequest.newBuilder(URI.create(url)).header("St2-Api-Key", API_KEY)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("training request to " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String size(Path file) {
        try {
            return Files.size(file) / (1024 * 1024) + " MB";
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (java.io.IOException e) {
            // A leftover directory is harmless.
        }
    }

    private static void log(String message) {
        System.out.println(LocalTime.now().withNano(0) + " " + message);
    }
}
