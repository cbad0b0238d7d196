package io.hookflow.bench.rules;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link CriteriaBenchmark}'s operations measured in CPU time of the measuring thread rather than wall time, so that
 * other processes loading the machine (other builds on a shared 2-core box) distort the figure far less than they
 * distort JMH's throughput. Seven rounds after four CPU-seconds of warm-up; the median is printed.
 *
 * <pre>benchmarks/run io.hookflow.bench.rules.CriteriaCpuCost [keys=path,jsonpath]</pre>
 */
public final class CriteriaCpuCost {

    private static final String BLACKHOLE_CONSENT =
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.";

    private CriteriaCpuCost() {
    }

    public static void main(String[] args) throws Exception {
        String keysArg = args.length > 0 && args[0].startsWith("keys=") ? args[0].substring(5) : "path,jsonpath";
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Blackhole hole = new Blackhole(BLACKHOLE_CONSENT);
        for (int rules : new int[] {1, 100, 10_000}) {
            for (String keys : keysArg.split(",")) {
                CriteriaBenchmark bench = new CriteriaBenchmark();
                bench.rules = rules;
                bench.keys = keys;
                bench.setUp();
                for (boolean indexed : new boolean[] {true, false}) {
                    int n = rules == 10_000 && !indexed ? 200 : 200_000;
                    long warmedUp = threads.getCurrentThreadCpuTime() + 4_000_000_000L;
                    while (threads.getCurrentThreadCpuTime() < warmedUp) {
                        run(bench, indexed, hole, n / 10);
                    }
                    double[] rounds = new double[7];
                    for (int r = 0; r < rounds.length; r++) {
                        long start = threads.getCurrentThreadCpuTime();
                        run(bench, indexed, hole, n);
                        rounds[r] = (threads.getCurrentThreadCpuTime() - start) / (double) n;
                    }
                    Arrays.sort(rounds);
                    System.out.printf("%-9s rules=%-5d keys=%-8s median %,10.0f ns CPU per event (min %,.0f, max %,.0f)%n",
                            indexed ? "indexed" : "everyRule", rules, keys, rounds[3], rounds[0], rounds[6]);
                }
            }
        }
    }

    private static void run(CriteriaBenchmark bench, boolean indexed, Blackhole hole, int times) {
        for (int i = 0; i < times; i++) {
            if (indexed) {
                bench.indexed(hole);
            } else {
                bench.everyRule(hole);
            }
        }
    }
}
