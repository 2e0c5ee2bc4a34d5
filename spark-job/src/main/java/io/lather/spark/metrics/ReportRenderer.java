package io.lather.spark.metrics;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.apache.spark.sql.SparkSession;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws PNG charts of runs from the metrics table: what {@code lather report <run>...} produces.
 *
 * <p>For each run {@code <id>} (file names use the run id with characters outside {@code [A-Za-z0-9._-]} replaced by
 * {@code _}):
 * <ul>
 *   <li>{@code <id>-loss.png}: training loss and evaluation loss vs step;</li>
 *   <li>{@code <id>-accuracy.png}: evaluation accuracy (%) vs step; only if the run has accuracies (classification);</li>
 *   <li>{@code <id>-time.png}: the time split of a step (data, gradient, reduce, optimizer, overhead ms) as stacked
 *       areas vs step, each legend entry with its share of the run's total step time.</li>
 * </ul>
 * With several runs (an optimizer comparison: AdamW vs Shampoo vs EShampoo), also:
 * <ul>
 *   <li>{@code compare-loss.png}: every run's training loss (solid) and evaluation loss (dashed, markers) vs step;</li>
 *   <li>{@code compare-loss-vs-time.png}: the same training losses vs cumulative step time, which is what decides
 *       between an optimizer with cheaper and one with better steps;</li>
 *   <li>{@code compare-accuracy.png}: evaluation accuracies vs step, if any run has them.</li>
 * </ul>
 * Per-step series longer than {@value #MAX_POINTS} points are drawn as means over consecutive buckets of k steps (the
 * title says so): raw per-step noise over thousands of steps hides the trend and makes large files. Evaluation points
 * are drawn as recorded. A loss axis is logarithmic when every plotted loss is positive and they span at least a factor
 * of 10. Non-finite values (a diverged loss) are left out of the charts. Charts are {@value #WIDTH} x {@value #HEIGHT}
 * pixels.
 */
public final class ReportRenderer {

    /** Usage of the CLI command this class backs. */
    public static final String USAGE = "lather report <run id>... [--metrics <metrics table>] [--out <dir>]";
    /** Width of every chart, in pixels. */
    public static final int WIDTH = 1000;
    /** Height of every chart, in pixels. */
    public static final int HEIGHT = 600;
    /** Most points drawn per per-step series before bucket means are drawn instead. */
    public static final int MAX_POINTS = 500;

    /** Tableau 10: distinguishable, and readable by the common forms of colour blindness. */
    private static final Color[] PALETTE = {
        new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759), new Color(0x76B7B2), new Color(0x59A14F),
        new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7), new Color(0x9C755F), new Color(0xBAB0AC),
    };

    private ReportRenderer() {}

    /**
     * Reads the runs from the metrics table and writes their charts (list in the class comment) into
     * {@code outputDir}, creating it if needed and replacing files of the same names.
     *
     * @param spark the session
     * @param metricsPath the metrics table path
     * @param runIds the runs to draw, at least one
     * @param outputDir the directory for the PNG files
     * @return the written files, per run (loss, accuracy, time) in the order given, then the comparison charts
     * @throws MetricsException {@code NO_RUNS_GIVEN}, any error of {@link DeltaMetricsSink#readRuns} (missing table,
     *     not a Delta table, empty table, unknown run with the runs present), {@code WRITE_FAILED}
     */
    public static List<Path> render(SparkSession spark, String metricsPath, List<String> runIds, Path outputDir) {
        if (runIds.isEmpty()) {
            throw MetricsErrors.noRunsGiven(USAGE);
        }
        return render(DeltaMetricsSink.readRuns(spark, metricsPath, runIds), outputDir);
    }

    /**
     * Writes the charts of runs already read (a notebook that filtered or joined rows itself).
     *
     * @param runs run id to its rows ordered by step, each non-empty
     * @param outputDir the directory for the PNG files
     * @return the written files, as {@link #render(SparkSession, String, List, Path)}
     * @throws MetricsException {@code NO_RUNS_GIVEN}, {@code WRITE_FAILED}
     */
    public static List<Path> render(Map<String, List<StepMetrics>> runs, Path outputDir) {
        if (runs.isEmpty()) {
            throw MetricsErrors.noRunsGiven(USAGE);
        }
        try {
            Files.createDirectories(outputDir);
        } catch (IOException e) {
            throw MetricsErrors.writeFailed(outputDir.toString(), e);
        }
        Map<String, String> names = fileNames(runs.keySet());
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, List<StepMetrics>> e : runs.entrySet()) {
            String runId = e.getKey();
            List<StepMetrics> rows = e.getValue();
            String base = names.get(runId);
            written.add(write(lossChart(runId, rows), outputDir.resolve(base + "-loss.png")));
            if (rows.stream().anyMatch(m -> Double.isFinite(m.evalAccuracy()))) {
                written.add(write(accuracyChart(runId, rows), outputDir.resolve(base + "-accuracy.png")));
            }
            written.add(write(timeChart(runId, rows), outputDir.resolve(base + "-time.png")));
        }
        if (runs.size() > 1) {
            written.add(write(compareLossChart(runs), outputDir.resolve("compare-loss.png")));
            written.add(write(compareLossVsTimeChart(runs), outputDir.resolve("compare-loss-vs-time.png")));
            if (runs.values().stream().flatMap(List::stream).anyMatch(m -> Double.isFinite(m.evalAccuracy()))) {
                written.add(write(compareAccuracyChart(runs), outputDir.resolve("compare-accuracy.png")));
            }
        }
        return written;
    }

    // ------------------------------------------------------------------------------------------------ charts

    private static XYChart lossChart(String runId, List<StepMetrics> rows) {
        Series train = Series.bucketed(rows, steps(rows), StepMetrics::trainLoss);
        Series eval = Series.sparse(rows, m -> m.step(), StepMetrics::evalLoss);
        String none = train.x.length == 0 ? " (no finite training loss)" : "";
        XYChart chart = chart("Loss - run " + runId + train.bucketNote() + none, "step", "loss");
        line(chart, "train loss", train, PALETTE[0]);
        points(chart, "eval loss", eval, PALETTE[1], false);
        logIfWide(chart, List.of(train, eval));
        return chart;
    }

    private static XYChart accuracyChart(String runId, List<StepMetrics> rows) {
        Series acc = Series.sparse(rows, m -> m.step(), m -> 100 * m.evalAccuracy());
        XYChart chart = chart("Evaluation accuracy - run " + runId, "step", "accuracy (%)");
        points(chart, "eval accuracy", acc, PALETTE[0], false);
        chart.getStyler().setLegendPosition(LegendPosition.InsideSE); // accuracy rises towards the top right
        return chart;
    }

    private static XYChart timeChart(String runId, List<StepMetrics> rows) {
        String[] labels = {"data", "gradient", "reduce", "optimizer", "overhead"};
        List<ToDoubleFunction<StepMetrics>> parts = List.of(StepMetrics::dataMs, StepMetrics::gradientMs,
                StepMetrics::reduceMs, StepMetrics::optimizerMs, StepMetrics::overheadMs);
        double total = rows.stream().mapToDouble(StepMetrics::stepMs).sum();
        // stacked areas: series i is the cumulative sum of parts 0..i; XChart fills each area down to the axis and
        // paints in insertion order, so adding the tallest first leaves each band visible above the one below it
        List<Series> cumulative = new ArrayList<>();
        ToDoubleFunction<StepMetrics> sum = m -> 0;
        for (ToDoubleFunction<StepMetrics> part : parts) {
            ToDoubleFunction<StepMetrics> below = sum;
            // a negative part (overhead can be, see StepMetrics) would fold a band under the one below it
            sum = m -> below.applyAsDouble(m) + Math.max(0, part.applyAsDouble(m));
            cumulative.add(Series.bucketed(rows, steps(rows), sum));
        }
        XYChart chart = chart("Time per step - run " + runId + cumulative.get(0).bucketNote(), "step", "milliseconds");
        for (int i = parts.size() - 1; i >= 0; i--) {
            double share = total > 0 ? 100 * rows.stream().mapToDouble(parts.get(i)).sum() / total : Double.NaN;
            String label = String.format(Locale.ROOT, "%s (%.0f%%)", labels[i], share);
            XYSeries s = line(chart, label, cumulative.get(i), PALETTE[i]);
            if (s != null) {
                s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Area);
                s.setFillColor(PALETTE[i]);
            }
        }
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setLegendPosition(LegendPosition.OutsideE); // the stack fills the plot: keep the legend off it
        return chart;
    }

    private static XYChart compareLossChart(Map<String, List<StepMetrics>> runs) {
        List<Series> all = new ArrayList<>();
        String note = "";
        XYChart chart = chart("Loss by step", "step", "loss");
        int i = 0;
        for (Map.Entry<String, List<StepMetrics>> e : runs.entrySet()) {
            Color c = PALETTE[i++ % PALETTE.length];
            Series train = Series.bucketed(e.getValue(), steps(e.getValue()), StepMetrics::trainLoss);
            Series eval = Series.sparse(e.getValue(), m -> m.step(), StepMetrics::evalLoss);
            note = note.isEmpty() ? train.bucketNote() : note;
            line(chart, e.getKey() + " train", train, c);
            points(chart, e.getKey() + " eval", eval, c, true);
            all.add(train);
            all.add(eval);
        }
        chart.setTitle("Loss by step" + note);
        logIfWide(chart, all);
        return chart;
    }

    private static XYChart compareLossVsTimeChart(Map<String, List<StepMetrics>> runs) {
        double maxMs = 0;
        for (List<StepMetrics> rows : runs.values()) {
            maxMs = Math.max(maxMs, rows.stream().mapToDouble(m -> Math.max(0, m.stepMs())).sum());
        }
        String unit = maxMs >= 2 * 3600_000 ? "h" : maxMs >= 120_000 ? "min" : "s";
        double perUnit = unit.equals("h") ? 3600_000 : unit.equals("min") ? 60_000 : 1000;
        XYChart chart = chart("Training loss by step time", "cumulative step time (" + unit + ")", "loss");
        List<Series> all = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, List<StepMetrics>> e : runs.entrySet()) {
            List<StepMetrics> rows = e.getValue();
            double[] elapsed = new double[rows.size()];
            double t = 0;
            for (int k = 0; k < rows.size(); k++) {
                t += Math.max(0, rows.get(k).stepMs());
                elapsed[k] = t / perUnit;
            }
            Series train = Series.bucketed(rows, elapsed, StepMetrics::trainLoss);
            line(chart, e.getKey(), train, PALETTE[i++ % PALETTE.length]);
            all.add(train);
        }
        logIfWide(chart, all);
        return chart;
    }

    private static XYChart compareAccuracyChart(Map<String, List<StepMetrics>> runs) {
        XYChart chart = chart("Evaluation accuracy by step", "step", "accuracy (%)");
        int i = 0;
        for (Map.Entry<String, List<StepMetrics>> e : runs.entrySet()) {
            Series acc = Series.sparse(e.getValue(), m -> m.step(), m -> 100 * m.evalAccuracy());
            points(chart, e.getKey(), acc, PALETTE[i++ % PALETTE.length], false);
        }
        chart.getStyler().setLegendPosition(LegendPosition.InsideSE);
        return chart;
    }

    // ------------------------------------------------------------------------------------------------ drawing

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(LegendPosition.InsideNE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setMarkerSize(5);
        // x starts at 0: otherwise XChart starts the ticks at the first bucket mean (2.5, 130.5, ...)
        chart.getStyler().setXAxisMin(0.0);
        return chart;
    }

    /** A solid line without markers; nothing (null) for a series without finite points, which XChart rejects. */
    private static XYSeries line(XYChart chart, String name, Series data, Color color) {
        if (data.x.length == 0) {
            return null;
        }
        XYSeries s = chart.addSeries(name, data.x, data.y);
        s.setMarker(data.x.length == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE); // a lone point needs a marker
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setLineWidth(1.5f);
        return s;
    }

    /** Evaluation points: markers joined by a thin line (dashed when it shares a chart with training lines). */
    private static void points(XYChart chart, String name, Series data, Color color, boolean dashed) {
        if (data.x.length == 0) {
            return;
        }
        XYSeries s = chart.addSeries(name, data.x, data.y);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(color);
        s.setLineColor(color);
        s.setLineStyle(dashed ? SeriesLines.DASH_DASH : new BasicStroke(1.5f));
    }

    private static void logIfWide(XYChart chart, List<Series> series) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : s.y) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (min > 0 && max / min >= 10) {
            chart.getStyler().setYAxisLogarithmic(true);
            // XChart labels only powers of ten by default: a loss between 0.2 and 3 would get the single label "1"
            chart.getStyler().setYAxisLogarithmicDecadeOnly(false);
        }
    }

    private static double[] steps(List<StepMetrics> rows) {
        return rows.stream().mapToDouble(StepMetrics::step).toArray();
    }

    /** Writes through a temporary file, so a reader (or a crash) never sees a half-written PNG. */
    private static Path write(XYChart chart, Path target) {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                BitmapEncoder.saveBitmap(chart, out, BitmapFormat.PNG);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw MetricsErrors.writeFailed(target.toString(), e);
        }
    }

    /** File name bases: sanitised run ids, made unique (and never colliding with the {@code compare-*} charts). */
    static Map<String, String> fileNames(Iterable<String> runIds) {
        Map<String, String> names = new LinkedHashMap<>();
        Set<String> used = new HashSet<>(Set.of("compare"));
        for (String id : runIds) {
            String base = id.replaceAll("[^A-Za-z0-9._-]", "_");
            if (base.isEmpty() || base.startsWith(".")) {
                base = "run" + base;
            }
            String name = base;
            for (int k = 2; !used.add(name); k++) {
                name = base + "-" + k;
            }
            names.put(id, name);
        }
        return names;
    }

    /** The finite points of one series, and how many steps each point averages. */
    private static final class Series {
        final double[] x;
        final double[] y;
        final int bucket;

        private Series(double[] x, double[] y, int bucket) {
            this.x = x;
            this.y = y;
            this.bucket = bucket;
        }

        /** Every row (x[i] belongs to rows[i]), as means over buckets of k = ceil(n / MAX_POINTS) consecutive rows; non-finite values skipped. */
        static Series bucketed(List<StepMetrics> rows, double[] x, ToDoubleFunction<StepMetrics> fy) {
            int k = Math.max(1, (rows.size() + MAX_POINTS - 1) / MAX_POINTS);
            List<double[]> pts = new ArrayList<>();
            for (int start = 0; start < rows.size(); start += k) {
                double sx = 0;
                double sy = 0;
                int n = 0;
                for (int j = start; j < Math.min(rows.size(), start + k); j++) {
                    double y = fy.applyAsDouble(rows.get(j));
                    if (Double.isFinite(y)) {
                        sx += x[j];
                        sy += y;
                        n++;
                    }
                }
                if (n > 0) {
                    pts.add(new double[] {sx / n, sy / n});
                }
            }
            return of(pts, k);
        }

        /** Only the rows where the value is finite (evaluation steps), as recorded. */
        static Series sparse(List<StepMetrics> rows, ToDoubleFunction<StepMetrics> fx, ToDoubleFunction<StepMetrics> fy) {
            List<double[]> pts = new ArrayList<>();
            for (StepMetrics m : rows) {
                double y = fy.applyAsDouble(m);
                if (Double.isFinite(y)) {
                    pts.add(new double[] {fx.applyAsDouble(m), y});
                }
            }
            return of(pts, 1);
        }

        private static Series of(List<double[]> pts, int bucket) {
            double[] x = new double[pts.size()];
            double[] y = new double[pts.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = pts.get(i)[0];
                y[i] = pts.get(i)[1];
            }
            return new Series(x, y, bucket);
        }

        String bucketNote() {
            return bucket > 1 ? " (mean per " + bucket + " steps)" : "";
        }
    }
}
