package io.hookflow.bench.e2e;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The run's figures as Markdown (results.md, also printed), a CSV of every step's timeline, and the plots. */
record Report(Settings settings, Duration startup, IdleCpu idle, List<Singles> singles, List<StepResult> steps,
              Map<String, Integer> lateArrivals, int unknownArrivals, String loadBefore, String loadAfter,
              Path stackData, String serviceJvm, String parked) {

    /** CPU per part while nothing was sent, in % of one core. */
    record IdleCpu(Map<String, Double> percentOfCore, double seconds) {
        double systemPercent() {
            return percentOfCore.entrySet().stream().filter(part -> !part.getKey().equals("benchmark"))
                    .mapToDouble(Map.Entry::getValue).sum();
        }
    }

    /** Webhooks sent one at a time; send -> target in ms for each that arrived within 30 s. */
    record Singles(String label, List<Double> millis, int missing) {
        double p50() {
            List<Double> sorted = millis.stream().sorted().toList();
            return sorted.isEmpty() ? Double.NaN : sorted.get((sorted.size() - 1) / 2);
        }

        double max() {
            return millis.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        }

        String valuesText() {
            return millis.stream().map(Report::ms).collect(Collectors.joining(", "))
                    + (missing > 0 ? " (" + missing + " did not arrive within 30 s)" : "");
        }
    }

    void write(Path dir, String stamp) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.md"), markdown(stamp));
        try (PrintStream csv = new PrintStream(Files.newOutputStream(dir.resolve("timeline.csv")), false,
                StandardCharsets.UTF_8)) {
            csv.println("step,rate,seconds,accepted,delivered,backlog,trigger_events_lag,action_tasks_lag");
            for (StepResult step : steps) {
                for (StepResult.Sample sample : step.timeline()) {
                    csv.printf(Locale.ROOT, "%s,%d,%.1f,%d,%d,%d,%d,%d%n", step.step().label, step.step().rate,
                            sample.seconds(), sample.accepted(), sample.arrived(), sample.backlog(),
                            sample.triggerEventsLag(), sample.actionTasksLag());
                }
            }
        }
        // Full latency distributions (HdrHistogram's percentile format, milliseconds), for anyone who wants more than
        // three percentiles.
        for (StepResult step : steps) {
            try (PrintStream out = new PrintStream(Files.newOutputStream(dir.resolve("latency-" + step.step().key
                    + ".hgrm")), false, StandardCharsets.UTF_8)) {
                step.latency().outputPercentileDistribution(out, 1000.0);
            }
        }
        Plots.latencyVsRate(steps, dir.resolve("latency-vs-rate.png"));
        for (StepResult step : steps) {
            Plots.timeline(step, dir.resolve("timeline-" + step.step().key + ".png"));
        }
    }

    String markdown(String stamp) {
        StringBuilder md = new StringBuilder();
        md.append("# Hookflow end to end, ").append(stamp).append("\n\n");
        md.append(String.format(Locale.ROOT, """
                `benchmarks/run e2e %s`

                %d cores, load average %s before and %s after (1, 5, 15 min; the benchmark's own load included). The \
                stack as `deploy/local/run` starts it (same packaged services, JVM options and durable PostgreSQL), on \
                free ports; Kafka, PostgreSQL and the three services were ready %.1f s after they were started. Logs: \
                `%s`. The services ran on %s.

                """, settings, Runtime.getRuntime().availableProcessors(), loadBefore, loadAfter,
                startup.toMillis() / 1000.0, stackData.resolve("logs"), serviceJvm));
        if (parked != null) {
            md.append("## Behind an open circuit\n\n").append(parked).append("\n\n");
        }
        md.append("## Idle stack\n\n");
        md.append(String.format(Locale.ROOT, "- CPU over %.0f s with nothing sent: **%.1f %% of a core** (%s; the"
                + " benchmark's JVM %.1f %%)%n", idle.seconds(), idle.systemPercent(), idleParts(),
                idle.percentOfCore().getOrDefault("benchmark", 0.0)));
        for (Singles single : singles) {
            md.append(String.format(Locale.ROOT, "- A single webhook, %s: send → target p50 **%s**, max %s (%s)%n",
                    single.label(), ms(single.p50()), ms(single.max()), single.valuesText()));
        }
        md.append("\n").append(markdownTables()).append("\n");
        md.append(notes());
        md.append("""

                ![send → target latency against rate](latency-vs-rate.png)

                """);
        for (StepResult step : steps) {
            md.append("![").append(step.step().label).append(": deliveries/s and backlog over time](timeline-")
                    .append(step.step().key).append(".png)\n");
        }
        md.append("""

                Columns. *sent/s*: the planned rate; every webhook has a planned send time and a unique id, and the \
                sender never waits for an answer before sending the next (open model). *accepted/s*: 202 answers per \
                second. *errors*: requests not answered 202 (other status, refused, or no answer within the timeout). \
                *send → target*: arrival of the webhook's delivery at the target minus its planned send time (so time \
                spent queued in the sender counts too). *202 p99*: planned send → ingest's 202. *lost*: accepted \
                webhooks not delivered when the step's drain window ended. *duplicates*: deliveries of an id beyond the \
                first. *backlog at stop*: accepted webhooks not yet delivered when sending stopped. *drained*: last \
                delivery after sending stopped. *uncommitted*: records on trigger-events (rules-service) and \
                action-tasks (delivery-service) past the group's committed offset when sending stopped; consumers \
                commit every few seconds, so this trails their real position and is a hint of where the backlog sits, \
                not a count of it. *CPU per webhook*: CPU time of each process tree from the step's start \
                to the end of its drain, divided by the webhooks accepted; *system* is the services, PostgreSQL and \
                Kafka; *benchmark* is this JVM (sender and target). *RSS*: highest VmRSS seen per service. \
                *PostgreSQL per webhook*: growth of pg_stat_database's xact_commit and tup_inserted / tup_updated / \
                tup_deleted (the hookflow database) and of the server's WAL position (pg_current_wal_lsn) from the \
                step's start to 11 s after its drain (PostgreSQL's statistics delay), divided by the webhooks accepted; \
                the idle services' own polling in that window is included.
                """);
        return md.toString();
    }

    /** The two tables, as printed at the end of a run and quoted in the docs. */
    String markdownTables() {
        StringBuilder md = new StringBuilder();
        md.append("| step | began (s after ready) | sent/s | accepted/s | errors | send → target p50 | p99 | p99.9 | max"
                + " | 202 p99 | lost | duplicates | backlog at stop | drained | uncommitted at stop: trigger-events /"
                + " action-tasks |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (StepResult step : steps) {
            StepResult.Sample stop = step.atStop();
            md.append(String.format(Locale.ROOT, "| %s | %.0f | %,d | %,.0f | %,d | %s | %s | %s | %s | %s | %,d | %,d"
                            + " | %,d | %s | %s / %s |%n", step.step().label, step.startedAfterReady(), step.step().rate,
                    step.acceptedPerSecond(), step.errors(), ms(step.latencyMs(50)), ms(step.latencyMs(99)),
                    ms(step.latencyMs(99.9)), ms(step.latencyMs(100)), ms(step.acceptMs(99)), step.lost(),
                    step.duplicates(), stop.backlog(), step.drainedAfterSeconds() == null
                            ? "not within " + settings.drain() + " s"
                            : String.format(Locale.ROOT, "%.1f s", step.drainedAfterSeconds()),
                    lag(stop.triggerEventsLag()), lag(stop.actionTasksLag())));
        }
        md.append("\n| step | CPU µs per webhook: ingest | rules | delivery | postgres | kafka | **system** |"
                + " benchmark | RSS peak MB: ingest | rules | delivery |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (StepResult step : steps) {
            Map<String, Double> cpu = step.cpuMicrosPerWebhook();
            Map<String, Double> rss = step.rssPeakMb();
            md.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f | **%,.0f** | %,.0f |"
                            + " %.0f | %.0f | %.0f |%n", step.step().label, cpu.get("ingest"), cpu.get("rules"),
                    cpu.get("delivery"), cpu.get("postgres"), cpu.get("kafka"), step.systemCpuMicros(),
                    cpu.get("benchmark"), rss.getOrDefault("ingest", Double.NaN), rss.getOrDefault("rules", Double.NaN),
                    rss.getOrDefault("delivery", Double.NaN)));
        }
        md.append("\n| step | PostgreSQL per webhook: commits | rows inserted | updated | deleted | WAL bytes |"
                + " per 1,000 webhooks/s: commits/s | rows written/s | WAL MB/s |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        for (StepResult step : steps) {
            Map<String, Double> db = step.databasePerWebhook();
            double rows = db.get("inserted") + db.get("updated") + db.get("deleted");
            md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %,.0f | %,.0f | %,.0f | %.1f |%n",
                    step.step().label, db.get("commits"), db.get("inserted"), db.get("updated"), db.get("deleted"),
                    db.get("walBytes"), db.get("commits") * 1000, rows * 1000, db.get("walBytes") * 1000 / 1e6));
        }
        return md.toString();
    }

    private String notes() {
        StringBuilder notes = new StringBuilder();
        for (StepResult step : steps) {
            if (step.errors() > 0) {
                notes.append(String.format(Locale.ROOT, "- %s: %d errors, e.g. %s%n", step.step().label, step.errors(),
                        step.step().failure));
            }
            if (step.inherited() > 0) {
                notes.append(String.format(Locale.ROOT, "- %s began with %,d webhooks of earlier steps undelivered%n",
                        step.step().label, step.inherited()));
            }
        }
        lateArrivals.forEach((step, late) -> notes.append(String.format(Locale.ROOT,
                "- %s: %,d of its lost webhooks arrived later, during a later step%n", step, late)));
        if (unknownArrivals > 0) {
            notes.append("- the target received ").append(unknownArrivals).append(" requests with no known id\n");
        }
        return notes.length() == 0 ? "" : "\nNotes:\n\n" + notes;
    }

    private String idleParts() {
        return idle.percentOfCore().entrySet().stream().filter(part -> !part.getKey().equals("benchmark"))
                .map(part -> String.format(Locale.ROOT, "%s %.1f", part.getKey(), part.getValue()))
                .collect(Collectors.joining(", "));
    }

    private static String lag(long lag) {
        return lag < 0 ? "?" : String.format(Locale.ROOT, "%,d", lag);
    }

    /** Milliseconds as the issue writes them: 3.4 ms, 808 ms, 13.5 s. */
    static String ms(double millis) {
        if (Double.isNaN(millis)) {
            return "–";
        }
        if (millis < 10) {
            return String.format(Locale.ROOT, "%.1f ms", millis);
        }
        if (millis < 1000) {
            return String.format(Locale.ROOT, "%.0f ms", millis);
        }
        return String.format(Locale.ROOT, "%.1f s", millis / 1000);
    }
}
