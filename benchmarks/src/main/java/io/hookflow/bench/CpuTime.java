package io.hookflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time used by each part of the benchmark's machine (from Linux's /proc), so a run shows where the cost of an event
 * or a delivery lies: a Hookflow service, PostgreSQL, the Kafka broker, or this JVM (the producer, and any target).
 */
public final class CpuTime {

    private static final long TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux this runs on
    private static final long SELF = ProcessHandle.current().pid();

    private CpuTime() {
    }

    /** CPU seconds used so far, per part, by every process alive now. */
    public static Sample sample() {
        Map<Long, Double> seconds = new HashMap<>();
        Map<Long, String> parts = new HashMap<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.filter(path -> path.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(path -> {
                long pid = Long.parseLong(path.getFileName().toString());
                try {
                    String stat = Files.readString(path.resolve("stat"));
                    // Fields after the command (which may hold spaces) start after the last ')'.
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    double cpu = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) TICKS_PER_SECOND;
                    seconds.put(pid, cpu);
                    parts.put(pid, part(pid, Files.readString(path.resolve("cmdline")).replace('\0', ' ')));
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc", e);
        }
        return new Sample(seconds, parts);
    }

    private static String part(long pid, String cmdline) {
        if (pid == SELF) {
            return "benchmark";
        }
        for (String service : new String[] {"ingest", "rules", "delivery"}) {
            if (cmdline.contains(service + "-service")) {
                return service;
            }
        }
        if (cmdline.startsWith("postgres") || cmdline.contains("/bin/postgres")) {
            return "postgres";
        }
        if (cmdline.contains("kafka")) {
            return "kafka";
        }
        return "other";
    }

    public record Sample(Map<Long, Double> seconds, Map<Long, String> parts) {

        /** CPU seconds per part between {@code earlier} and this sample. */
        public Map<String, Double> since(Sample earlier) {
            Map<String, Double> used = new TreeMap<>();
            seconds.forEach((pid, now) -> used.merge(parts.get(pid), now - earlier.seconds().getOrDefault(pid, 0.0),
                    Double::sum));
            return used;
        }
    }

    /** "delivery 210 µs, postgres 90 µs, ... = total" per item. */
    public static String perItem(Map<String, Double> used, int items, String item) {
        StringBuilder line = new StringBuilder();
        double total = 0;
        for (Map.Entry<String, Double> part : used.entrySet()) {
            if (part.getValue() > 0) {
                line.append(String.format(Locale.ROOT, "%s %.0f µs, ", part.getKey(), part.getValue() * 1e6 / items));
                total += part.getValue();
            }
        }
        return line.append(String.format(Locale.ROOT, "total %.0f µs per %s", total * 1e6 / items, item)).toString();
    }
}
