package io.hookflow.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The replicas of one packaged service, each its own JVM on its own port, with one stable address: with a single
 * replica that is the replica itself; with several, a {@link RoundRobinProxy} on the stable port spreads requests over
 * the ready ones, as a Kubernetes Service would. Replicas can be killed, stopped and replaced one by one (replaced on
 * the same port, so the proxy and other services find them again).
 */
public final class ServiceReplicas implements AutoCloseable {

    /** Longer than the services' whole shutdown sequence (docs/operations.md), shorter than waiting forever. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(40);
    static final int PORT_ATTEMPTS = 3;

    private final String name;
    private final Path jar;
    private final List<Map<String, String>> envs;
    private final Path logDir;
    private final List<ServiceProcess> replicas = new ArrayList<>();
    private final List<Integer> ports = new ArrayList<>();
    /** Whether each replica's port was picked as free (then a port taken meanwhile is replaced by another). */
    private final List<Boolean> freePort = new ArrayList<>();
    private final int[] starts;
    private final RoundRobinProxy proxy;
    /** The proxy's port, or the only replica's (which moves when its free port was taken before it could bind). */
    private volatile int stablePort;

    private ServiceReplicas(String name, Path jar, List<Map<String, String>> envs, int stablePort, Path logDir) {
        this.name = name;
        this.jar = jar;
        this.envs = envs;
        this.logDir = logDir;
        this.starts = new int[envs.size()];
        boolean single = envs.size() == 1;
        for (int i = 0; i < envs.size(); i++) {
            ports.add(single && stablePort != 0 ? stablePort : Ports.free());
            freePort.add(!single || stablePort == 0);
        }
        // The proxy first: should its port be taken, no replica has been started to be left behind.
        this.proxy = single ? null : RoundRobinProxy.start(stablePort, ports.stream().map(ServiceReplicas::url).toList());
        this.stablePort = proxy != null ? proxy.port() : ports.get(0);
        for (int i = 0; i < envs.size(); i++) {
            replicas.add(launch(i));
        }
    }

    /**
     * Starts one replica per environment map (each added to ours, with {@code QUARKUS_HTTP_PORT} set to the replica's
     * port) and returns at once; see {@link #awaitReady}. Port 0 = any free stable port.
     */
    public static ServiceReplicas start(String name, Path quarkusRunJar, List<Map<String, String>> envPerReplica,
                                        int stablePort, Path logDir) {
        if (envPerReplica.isEmpty()) {
            throw new IllegalArgumentException(name + " needs at least one replica");
        }
        return new ServiceReplicas(name, quarkusRunJar, List.copyOf(envPerReplica), stablePort, logDir);
    }

    /** Waits until every replica answers ready; a replica whose free port was taken meanwhile moves to another. */
    public ServiceReplicas awaitReady(Duration timeout) {
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (int i = 0; i < replicas.size(); i++) {
            int index = i;
            waits.add(CompletableFuture.runAsync(() -> awaitReplicaReady(index, timeout)));
        }
        try {
            CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        return this;
    }

    public String name() {
        return name;
    }

    /** The stable address: the proxy, or the only replica. */
    public String baseUrl() {
        return url(stablePort);
    }

    public int port() {
        return stablePort;
    }

    public int size() {
        return replicas.size();
    }

    /** Replica {@code index} (0-based) as it runs now: a replaced replica is the new process. */
    public synchronized ServiceProcess replica(int index) {
        return replicas.get(index);
    }

    public synchronized List<ServiceProcess> replicas() {
        return List.copyOf(replicas);
    }

    /** kill -9 of one replica: no shutdown hook, nothing handed over. */
    public void kill(int index) {
        replica(index).kill();
    }

    /**
     * SIGTERM to one replica and wait for it to exit: how long its shutdown took, or empty when it had to be killed
     * after {@link #STOP_GRACE}.
     */
    public Optional<Duration> terminate(int index) {
        return replica(index).terminate(STOP_GRACE);
    }

    /** Starts replica {@code index} again on its port (after a kill or terminate) and waits until it is ready. */
    public ServiceProcess restart(int index, Duration timeout) {
        ServiceProcess old = replica(index);
        if (old.isAlive()) {
            throw new IllegalStateException(old + " still runs; kill or terminate it first");
        }
        synchronized (this) {
            replicas.set(index, launch(index));
        }
        awaitReplicaReady(index, timeout);
        return replica(index);
    }

    /** Stops every replica (SIGTERM, in parallel: each drains on its own), then the proxy. */
    @Override
    public void close() {
        CompletableFuture.allOf(replicas().stream()
                .map(replica -> CompletableFuture.runAsync(replica::close))
                .toArray(CompletableFuture[]::new)).join();
        if (proxy != null) {
            proxy.close();
        }
    }

    @Override
    public String toString() {
        return "ServiceReplicas[" + name + " " + baseUrl() + " x" + replicas.size() + "]";
    }

    private void awaitReplicaReady(int index, Duration timeout) {
        for (int attempt = 1; ; attempt++) {
            ServiceProcess replica = replica(index);
            try {
                replica.awaitReady(timeout);
                return;
            } catch (IllegalStateException e) {
                // Another process took the port between our pick and the replica's bind (the machine is shared).
                boolean portTaken = String.valueOf(e.getMessage()).contains("in use");
                if (!portTaken || !freePort.get(index) || attempt == PORT_ATTEMPTS) {
                    throw e;
                }
                replica.close();
                synchronized (this) {
                    ports.set(index, Ports.free());
                    replicas.set(index, launch(index));
                }
                if (proxy != null) {
                    proxy.replaceBackend(url(replica.port()), url(ports.get(index)));
                } else {
                    stablePort = ports.get(index);
                }
            }
        }
    }

    private ServiceProcess launch(int index) {
        Map<String, String> env = new HashMap<>(envs.get(index));
        env.put("QUARKUS_HTTP_PORT", String.valueOf(ports.get(index)));
        String log = envs.size() == 1 ? name : name + "-" + (index + 1);
        if (starts[index]++ > 0) {
            log += "-restart" + (starts[index] - 1);
        }
        return ServiceProcess.start(name, jar, env, ports.get(index), logDir.resolve(log + ".log"));
    }

    private static String url(int port) {
        return "http://127.0.0.1:" + port;
    }
}
