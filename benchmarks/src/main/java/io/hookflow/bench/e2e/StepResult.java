package io.hookflow.bench.e2e;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * One step's figures, computed from its {@link Step} once it has drained (or its drain window ran out).
 *
 * @param startedAfterReady seconds between the stack answering ready and this step's first planned send
 * @param latency send -> target per delivered webhook, microseconds, from the planned send time
 * @param acceptLatency planned send -> 202 answer, microseconds
 * @param atStop what was still inside the system when sending stopped
 * @param drainedAfterSeconds last delivery's arrival - end of sending; null when the drain window ran out first
 * @param inherited webhooks of earlier steps still undelivered when this step began (they compete with this one)
 * @param cpuMicrosPerWebhook CPU per accepted webhook per part, between the step's start and its end of drain
 * @param rssPeakMb the highest resident memory seen per service during the step and its drain
 * @param databasePerWebhook PostgreSQL's commits, rows inserted, updated, deleted and WAL bytes per accepted webhook
 *                           ({@link DatabaseLoad})
 * @param timeline one sample a second from the step's start to the end of its drain
 */
record StepResult(Step step, double startedAfterReady, int sent, int accepted, int errors, double acceptedPerSecond,
                  Histogram latency, Histogram acceptLatency, int lost, int duplicates, Sample atStop,
                  Double drainedAfterSeconds, int inherited, Map<String, Double> cpuMicrosPerWebhook,
                  Map<String, Double> rssPeakMb, Map<String, Double> databasePerWebhook, List<Sample> timeline) {

    /**
     * @param seconds since the step's first planned send
     * @param backlog accepted webhooks not yet delivered
     * @param triggerEventsLag records on trigger-events rules-service has not committed; -1 = unknown
     * @param actionTasksLag records on action-tasks delivery-service has not committed; -1 = unknown
     */
    record Sample(double seconds, int accepted, int arrived, int backlog, long triggerEventsLag, long actionTasksLag) {
    }

    static StepResult of(Step step, double startedAfterReady, int inherited, Map<String, Double> cpuSeconds,
                         Map<String, Double> rssPeakMb, Map<String, Double> databasePerWebhook, Sample atStop,
                         List<Sample> timeline) {
        Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(30), 3);
        Histogram acceptLatency = new Histogram(TimeUnit.MINUTES.toMicros(30), 3);
        int sent = step.planned.get();
        int lost = 0;
        long lastArrival = 0;
        long lastAnswer = step.startNanos;
        for (int i = 0; i < sent; i++) {
            long planned = step.plannedNanos.get(i);
            long arrived = step.arrivedNanos.get(i);
            if (arrived != 0) {
                record(latency, arrived - planned);
                lastArrival = Math.max(lastArrival, arrived);
            }
            if (step.status.get(i) == 202) {
                long answered = step.answeredNanos.get(i);
                record(acceptLatency, answered - planned);
                lastAnswer = Math.max(lastAnswer, answered);
                if (arrived == 0) {
                    lost++;
                }
            }
        }
        int accepted = step.accepted.get();
        // Accepted per second over the time ingest took to answer them all, never less than the planned duration.
        double seconds = Math.max((lastAnswer - step.startNanos) / 1e9, sent / (double) Math.max(1, step.rate));
        Map<String, Double> perWebhook = new LinkedHashMap<>();
        cpuSeconds.forEach((part, used) -> perWebhook.put(part, accepted == 0 ? Double.NaN : used * 1e6 / accepted));
        Double drained = lost == 0 && lastArrival != 0 ? Math.max(0, (lastArrival - step.endNanos) / 1e9) : null;
        return new StepResult(step, startedAfterReady, sent, accepted, sent - accepted, accepted / seconds, latency,
                acceptLatency, lost, step.duplicates.get(), atStop, drained, inherited, perWebhook, rssPeakMb,
                databasePerWebhook, timeline);
    }

    private static void record(Histogram histogram, long nanos) {
        histogram.recordValue(Math.min(Math.max(0, nanos / 1000), histogram.getHighestTrackableValue()));
    }

    /** Percentile of send -> target, in milliseconds; NaN when nothing arrived. */
    double latencyMs(double percentile) {
        return latency.getTotalCount() == 0 ? Double.NaN : latency.getValueAtPercentile(percentile) / 1000.0;
    }

    double acceptMs(double percentile) {
        return acceptLatency.getTotalCount() == 0 ? Double.NaN : acceptLatency.getValueAtPercentile(percentile) / 1000.0;
    }

    /** CPU per webhook of the system itself: services, PostgreSQL and Kafka, without the benchmark's sender and target. */
    double systemCpuMicros() {
        return cpuMicrosPerWebhook.entrySet().stream().filter(part -> !part.getKey().equals("benchmark"))
                .mapToDouble(Map.Entry::getValue).sum();
    }
}
