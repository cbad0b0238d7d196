package io.hookflow.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A packaged Quarkus service ({@code quarkus-run.jar}) running as a child process with its output in a log file. */
public final class ServiceProcess implements AutoCloseable {

    /**
     * Unless the env gives JAVA_OPTS: a small heap (three services, a broker and a database share small machines) and
     * the C1 compiler only. Measured end to end on 2 cores (docs/benchmarks.md): in the first minute after start C1-only
     * cut p50 at 400 webhooks/s from 5.8 s to 0.2 s, CPU per webhook by 10-20 % up to 1,000/s, and peak RSS per service
     * from 338-373 MB to 283-294 MB; C2 is ahead only at 2,000/s once warm (1.43 against 1.64 ms per webhook).
     */
    static final String DEFAULT_JAVA_OPTS = "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    private final String name;
    private final Process process;
    private final int port;
    private final Path logFile;

    private ServiceProcess(String name, Process process, int port, Path logFile) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.logFile = logFile;
    }

    /**
     * Starts {@code java -jar quarkusRunJar} with env added to ours ({@code HOOKFLOW_JAVA} in it: that java binary);
     * returns at once, see {@link #awaitReady}.
     */
    public static ServiceProcess start(String name, Path quarkusRunJar, Map<String, String> env, int port, Path logFile) {
        if (!Files.isRegularFile(quarkusRunJar)) {
            throw new IllegalStateException(name + " is not packaged: no " + quarkusRunJar + " (run ./mvnw install -DskipTests)");
        }
        List<String> command = new ArrayList<>();
        // The stack passes the java it chose for the services (ServiceJava); else the same java as ours.
        command.add(env.getOrDefault("HOOKFLOW_JAVA", Processes.javaExecutable()));
        command.addAll(Arrays.asList(env.getOrDefault("JAVA_OPTS", DEFAULT_JAVA_OPTS).trim().split("\\s+")));
        command.addAll(List.of("-jar", quarkusRunJar.toAbsolutePath().toString()));
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(quarkusRunJar.toAbsolutePath().getParent().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            builder.environment().putAll(env);
            return new ServiceProcess(name, builder.start(), port, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** Polls the readiness endpoint until it answers 200; fails at once with the log's tail when the process dies. */
    public ServiceProcess awaitReady(Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready\n"
                        + Processes.logTail(logFile));
            }
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException notListeningYet) {
                // Still starting.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready on " + baseUrl() + " within " + timeout + "\n"
                        + Processes.logTail(logFile));
            }
            sleep(200);
        }
    }

    public String name() {
        return name;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return logFile;
    }

    /** The JVM's process id: what a benchmark reads the service's CPU time and memory by. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, as a crashed node or an OOM kill: no shutdown hook runs and nothing is handed over cleanly. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGTERM, as Kubernetes stops a pod, and waits for the process to exit: how long it took, or empty when it was still
     * running after {@code grace} and had to be killed (as the kubelet does after terminationGracePeriodSeconds).
     */
    public java.util.Optional<Duration> terminate(Duration grace) {
        long begin = System.nanoTime();
        process.destroy();
        try {
            if (process.waitFor(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                return java.util.Optional.of(Duration.ofNanos(System.nanoTime() - begin));
            }
            process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        return java.util.Optional.empty();
    }

    /** The exit code once the process has ended. */
    public int exitValue() {
        return process.exitValue();
    }

    /** SIGTERM lets Quarkus finish in-flight work and leave its consumer group; a kill follows if it hangs. */
    @Override
    public void close() {
        Processes.stop(process, ServiceReplicas.STOP_GRACE.toSeconds());
    }

    @Override
    public String toString() {
        return "ServiceProcess[" + name + " " + baseUrl() + "]";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
