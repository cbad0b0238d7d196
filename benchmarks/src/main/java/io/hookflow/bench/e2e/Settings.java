package io.hookflow.bench.e2e;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's options, given as {@code name=value} arguments; every one has a default, so
 * {@code benchmarks/run e2e} alone runs the steps.
 *
 * @param rates webhooks per second, one step each, in this order
 * @param seconds how long each step sends
 * @param warmup seconds of sending at {@code warmupRate} before the steps (0 = none: the first step meets fresh JVMs)
 * @param drain the longest wait after a step for the deliveries still inside the system; what has not arrived by then
 *     counts as lost for that step (and is reported again if it turns up later)
 * @param idle seconds over which the idle stack's CPU is measured
 * @param singles webhooks sent one at a time on the idle stack, before and after the steps
 * @param connections the sender's connection pool to ingest (requests beyond it queue in the client, still timed from
 *     their planned send time)
 * @param timeout a request to ingest unanswered this long counts as an error
 * @param out results folder; default benchmarks/results/e2e-<timestamp>
 * @param keep keep the stack's data (Kafka log, PostgreSQL) under benchmarks/target after the run; logs are always kept
 * @param idempotency send each webhook with its own {@code Idempotency-Key} (ingest then claims and completes the key
 *     in PostgreSQL: what that costs shows in the database table)
 * @param parked webhooks sent, before the steps, through a second rule to a destination that refuses every connection,
 *     so that many executions wait behind its open circuit while the steps run (the isolation test; 0 = none)
 */
record Settings(List<Integer> rates, int seconds, int warmup, int warmupRate, int drain, int idle, int singles,
                int connections, Duration timeout, String out, boolean keep, boolean idempotency, int parked) {

    static final String USAGE = """
            benchmarks/run e2e [rates=100,200,400,1000,2000] [seconds=20] [warmup=0] [warmupRate=<first rate>]
                               [drain=60] [idle=5] [singles=5] [connections=256] [timeout=30] [out=<dir>] [keep=false]
                               [idempotency=false] [parked=0]""";

    static Settings parse(String... args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String arg : args) {
            String[] pair = arg.split("=", 2);
            if (pair.length != 2) {
                throw new IllegalArgumentException("not name=value: " + arg + "\n" + USAGE);
            }
            given.put(pair[0], pair[1]);
        }
        List<Integer> rates = Arrays.stream(given.getOrDefault("rates", "100,200,400,1000,2000").split(","))
                .map(String::trim).map(Integer::parseInt).toList();
        Settings settings = new Settings(rates,
                number(given, "seconds", 20),
                number(given, "warmup", 0),
                number(given, "warmupRate", rates.get(0)),
                number(given, "drain", 60),
                number(given, "idle", 5),
                number(given, "singles", 5),
                number(given, "connections", 256),
                Duration.ofSeconds(number(given, "timeout", 30)),
                given.remove("out"),
                Boolean.parseBoolean(given.getOrDefault("keep", "false")),
                Boolean.parseBoolean(given.getOrDefault("idempotency", "false")),
                number(given, "parked", 0));
        List.of("rates", "seconds", "warmup", "warmupRate", "drain", "idle", "singles", "connections", "timeout", "keep",
                        "idempotency", "parked")
                .forEach(given::remove);
        if (!given.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s) " + given.keySet() + "\n" + USAGE);
        }
        if (rates.stream().anyMatch(rate -> rate <= 0) || settings.seconds <= 0 || settings.warmupRate <= 0
                || settings.parked < 0) {
            throw new IllegalArgumentException("rates and seconds must be positive\n" + USAGE);
        }
        return settings;
    }

    /**
     * The longest the run may take: start-up, idle measurements and every step with its full drain, plus a margin. The
     * benchmark stops itself (and the stack) when it is exceeded, so an unattended run always ends.
     */
    Duration bound() {
        long perStep = seconds + 2 * timeout.toSeconds() + drain + 10;
        long steps = rates.size() * perStep + (warmup > 0 ? warmup + 2 * timeout.toSeconds() + drain + 10 : 0);
        long idleParts = 3 + idle + 2L * singles * (2 + 30);
        long seeding = parked > 0 ? parked / PARKED_RATE + ParkedBacklog.SETTLE.toSeconds() + 60 : 0;
        return Duration.ofSeconds(180 + 60 + idleParts + seeding + steps + 60);
    }

    @Override
    public String toString() {
        return "rates=" + String.join(",", rates.stream().map(String::valueOf).toList()) + " seconds=" + seconds
                + " warmup=" + warmup + " warmupRate=" + warmupRate + " drain=" + drain + " idle=" + idle
                + " singles=" + singles + " connections=" + connections + " timeout=" + timeout.toSeconds()
                + (idempotency ? " idempotency=true" : "") + (parked > 0 ? " parked=" + parked : "");
    }

    /** The rate the parked webhooks are sent at: about what ingest accepts on this machine. */
    static final int PARKED_RATE = 1000;

    private static int number(Map<String, String> given, String name, int defaultValue) {
        String value = given.get(name);
        return value == null ? defaultValue : Integer.parseInt(value.trim());
    }
}
