package io.hookflow.bench.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG plots of a run, drawn with XChart (headless). What a reader looks at first, so each says what it shows. */
final class Plots {

    private Plots() {
    }

    /**
     * send -> target p50, p99 and p99.9 against the planned rate: the knee is where the system saturates. The latency
     * axis is logarithmic when the figures span more than a factor of 20 (XChart labels a log axis at powers of ten
     * only, so a narrower range would show no labels).
     */
    static void latencyVsRate(List<StepResult> steps, Path file) throws IOException {
        List<StepResult> rated = steps.stream().filter(step -> !step.step().key.equals("warm")).toList();
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("Hookflow end to end: send → target latency against rate")
                .xAxisTitle("webhooks/s sent (open model)").yAxisTitle("send → target, ms").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW).setMarkerSize(7);
        chart.getStyler().setXAxisDecimalPattern("#,##0").setYAxisDecimalPattern("#,##0.#");
        double min = Double.MAX_VALUE;
        double max = 0;
        for (double percentile : new double[] {50, 99, 99.9}) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (StepResult step : rated) {
                double ms = step.latencyMs(percentile);
                if (!Double.isNaN(ms)) {
                    x.add((double) step.step().rate);
                    y.add(Math.max(ms, 0.1)); // a log axis has no zero
                    min = Math.min(min, y.get(y.size() - 1));
                    max = Math.max(max, ms);
                }
            }
            if (!x.isEmpty()) {
                chart.addSeries("p" + (percentile == Math.rint(percentile) ? String.valueOf((int) percentile)
                        : String.valueOf(percentile)), x, y).setMarker(SeriesMarkers.CIRCLE);
            }
        }
        if (chart.getSeriesMap().isEmpty()) {
            return;
        }
        if (max / min > 20) {
            chart.getStyler().setYAxisLogarithmic(true);
            chart.setYAxisTitle("send → target, ms (log)");
        } else {
            chart.getStyler().setYAxisMin(0.0);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * One step over time: deliveries and 202s per second (left axis), the backlog inside the system and the consumer
     * lag of the two topics (right axis); the vertical line is where sending stopped. Counts are per whole second.
     */
    static void timeline(StepResult result, Path file) throws IOException {
        Step step = result.step();
        List<StepResult.Sample> samples = result.timeline();
        int seconds = (int) Math.ceil(samples.isEmpty() ? step.capacity / (double) step.rate
                : samples.get(samples.size() - 1).seconds()) + 1;
        double[] delivered = new double[seconds];
        double[] accepted = new double[seconds];
        for (int i = 0; i < step.planned.get(); i++) {
            long arrived = step.arrivedNanos.get(i);
            if (arrived != 0) {
                add(delivered, (arrived - step.startNanos) / 1e9);
            }
            if (step.status.get(i) == 202) {
                add(accepted, (step.answeredNanos.get(i) - step.startNanos) / 1e9);
            }
        }
        double[] second = new double[seconds];
        for (int i = 0; i < seconds; i++) {
            second[i] = i + 0.5; // the middle of the second each count belongs to
        }
        XYChart chart = new XYChartBuilder().width(1100).height(600)
                .title("Hookflow end to end, " + step.label + ": deliveries and backlog over time")
                .xAxisTitle("seconds since the step began").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS).setMarkerSize(0);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        chart.setYAxisGroupTitle(0, "per second");
        chart.setYAxisGroupTitle(1, "webhooks / records");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.addSeries("accepted (202)/s", second, accepted);
        chart.addSeries("delivered/s", second, delivered);
        series(chart, "backlog (accepted, not delivered)", samples, StepResult.Sample::backlog);
        // Committed-offset lag: consumers commit every few seconds, so it trails the real position (see docs).
        series(chart, "trigger-events uncommitted", samples, StepResult.Sample::triggerEventsLag);
        series(chart, "action-tasks uncommitted", samples, StepResult.Sample::actionTasksLag);
        chart.addAnnotation(new AnnotationLine(step.capacity / (double) step.rate, true, false));
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private static void add(double[] buckets, double atSecond) {
        int bucket = (int) Math.floor(atSecond);
        if (bucket >= 0 && bucket < buckets.length) {
            buckets[bucket]++;
        }
    }

    /** A right-axis series from the samples, skipping those where the value was unknown (-1). */
    private static void series(XYChart chart, String name, List<StepResult.Sample> samples,
                               java.util.function.ToLongFunction<StepResult.Sample> value) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (StepResult.Sample sample : samples) {
            long v = value.applyAsLong(sample);
            if (v >= 0) {
                x.add(sample.seconds());
                y.add((double) v);
            }
        }
        if (!x.isEmpty()) {
            XYSeries series = chart.addSeries(name, x, y);
            series.setYAxisGroup(1);
        }
    }
}
