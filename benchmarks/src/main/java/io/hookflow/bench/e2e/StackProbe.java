package io.hookflow.bench.e2e;

import io.hookflow.stack.LocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads what the benchmark's own stack uses: CPU seconds per part, resident memory per service, consumer lag. Parts
 * are found by process id and ancestry, not by command line (as {@code CpuTime} does), because other stacks (tests,
 * another benchmark, deploy/local/run) may run the same programs on this machine at the same time.
 */
final class StackProbe implements AutoCloseable {

    static final List<String> SERVICES = List.of("ingest", "rules", "delivery");
    /** Every part, in report order; "benchmark" is this JVM: the sender and the target. */
    static final List<String> PARTS = List.of("ingest", "rules", "delivery", "postgres", "kafka", "benchmark");
    private static final double TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux this runs on

    /** Labelled processes; every other process of the stack belongs to its nearest labelled ancestor. */
    private final Map<Long, String> roots;
    private final Map<String, Long> servicePids;
    private final Admin admin;
    private final Map<String, Integer> partitions = new HashMap<>();

    private StackProbe(Map<Long, String> roots, Map<String, Long> servicePids, Admin admin) {
        this.roots = roots;
        this.servicePids = servicePids;
        this.admin = admin;
    }

    static StackProbe of(LocalStack stack) {
        Map<Long, String> roots = new HashMap<>();
        Map<String, Long> servicePids = new LinkedHashMap<>();
        long self = ProcessHandle.current().pid();
        roots.put(self, "benchmark");
        for (String service : SERVICES) {
            long pid = stack.service(service + "-service").replica(0).pid();
            roots.put(pid, service);
            servicePids.put(service, pid);
        }
        // The broker is a child JVM of ours; PostgreSQL's postmaster detaches (pg_ctl), its pid is in its data directory
        // and its backends are its children.
        ProcessHandle.current().children()
                .filter(child -> cmdline(child.pid()).contains("kafka.Kafka"))
                .forEach(broker -> roots.put(broker.pid(), "kafka"));
        try {
            long postmaster = Long.parseLong(Files.readAllLines(stack.data().resolve("postgres/postmaster.pid")).get(0).trim());
            roots.put(postmaster, "postgres");
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot find the stack's PostgreSQL (postmaster.pid)", e);
        }
        if (!roots.containsValue("kafka")) {
            throw new IllegalStateException("cannot find the stack's Kafka broker among this JVM's children");
        }
        Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000));
        return new StackProbe(roots, servicePids, admin);
    }

    /** CPU seconds used so far (user + system) per part, by every live process of the stack. */
    Map<String, Double> cpuSeconds() {
        Map<Long, Long> parents = new HashMap<>();
        Map<Long, Double> seconds = new HashMap<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.map(path -> path.getFileName().toString())
                    .filter(name -> !name.isEmpty() && name.chars().allMatch(Character::isDigit))
                    .forEach(name -> {
                        try {
                            String stat = Files.readString(Path.of("/proc", name, "stat"));
                            // Fields after the command (which may hold spaces and parentheses) start after the last ')'.
                            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            long pid = Long.parseLong(name);
                            parents.put(pid, Long.parseLong(fields[1]));
                            seconds.put(pid, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND);
                        } catch (IOException | RuntimeException gone) {
                            // the process ended meanwhile
                        }
                    });
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc", e);
        }
        Map<String, Double> used = new LinkedHashMap<>();
        PARTS.forEach(part -> used.put(part, 0.0));
        seconds.forEach((pid, cpu) -> {
            String part = partOf(pid, parents);
            if (part != null) {
                used.merge(part, cpu, Double::sum);
            }
        });
        return used;
    }

    private String partOf(long pid, Map<Long, Long> parents) {
        for (long p = pid, depth = 0; p > 1 && depth < 64; depth++) {
            String part = roots.get(p);
            if (part != null) {
                return part;
            }
            Long parent = parents.get(p);
            if (parent == null) {
                return null;
            }
            p = parent;
        }
        return null;
    }

    /** Resident memory (VmRSS) per service, in MB; -1 for a service that is gone. */
    Map<String, Double> rssMb() {
        Map<String, Double> rss = new LinkedHashMap<>();
        servicePids.forEach((service, pid) -> rss.put(service, vmRssKb(pid) / 1024.0));
        return rss;
    }

    private static long vmRssKb(long pid) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", String.valueOf(pid), "status"))) {
            return lines.filter(line -> line.startsWith("VmRSS:"))
                    .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
                    .findFirst().orElse(-1024L);
        } catch (IOException | RuntimeException e) {
            return -1024;
        }
    }

    /**
     * Records in the topic the group has not committed yet (committed offsets trail consumption by up to the commit
     * interval, so a small lag is normal); -1 when the broker did not answer in time.
     */
    long lag(String group, String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(3, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = Stream.iterate(0, p -> p + 1).limit(partitions(topic))
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
            long lag = 0;
            for (var end : admin.listOffsets(latest).all().get(3, TimeUnit.SECONDS).entrySet()) {
                OffsetAndMetadata done = committed.get(end.getKey());
                lag += end.getValue().offset() - (done == null ? 0 : done.offset());
            }
            return lag;
        } catch (Exception e) {
            return -1;
        }
    }

    private int partitions(String topic) throws Exception {
        Integer known = partitions.get(topic);
        if (known == null) {
            known = admin.describeTopics(List.of(topic)).allTopicNames().get(3, TimeUnit.SECONDS).get(topic)
                    .partitions().size();
            partitions.put(topic, known);
        }
        return known;
    }

    private static String cmdline(long pid) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(pid), "cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
