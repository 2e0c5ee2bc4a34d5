package io.lather.spark.metrics;

import static io.lather.spark.metrics.ProgressLineTest.firstLine;
import static io.lather.spark.metrics.TestRows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportRendererTest {

    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void session() {
        spark = TestRows.spark();
    }

    /** Three optimizers in one table; the regression run has no accuracies. */
    private String comparisonTable() {
        String path = dir.resolve("metrics").toString();
        DeltaMetricsSink sink = new DeltaMetricsSink(spark, path);
        for (String run : List.of("adamw", "shampoo", "eshampoo")) {
            rows(run, 1, 40, 0).forEach(sink::add);
            sink.flush();
        }
        return path;
    }

    private static List<String> names(List<Path> files) {
        return files.stream().map(f -> f.getFileName().toString()).toList();
    }

    /** Each file decodes as a PNG of the chart size with more than a few colours (something was drawn). */
    private static void assertCharts(List<Path> files) throws IOException {
        for (Path f : files) {
            BufferedImage img = ImageIO.read(f.toFile());
            assertNotNull(img, f + " is not a readable image");
            assertEquals(ReportRenderer.WIDTH, img.getWidth(), f.toString());
            assertEquals(ReportRenderer.HEIGHT, img.getHeight(), f.toString());
            Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < img.getHeight(); y += 3) {
                for (int x = 0; x < img.getWidth(); x += 3) {
                    colours.add(img.getRGB(x, y));
                }
            }
            assertTrue(colours.size() > 10, f + " has only " + colours.size() + " colours");
        }
    }

    @Test
    void oneRunAndAComparison() throws IOException {
        String path = comparisonTable();
        Path out = dir.resolve("report");

        List<Path> one = ReportRenderer.render(spark, path, List.of("shampoo"), out);
        assertEquals(List.of("shampoo-loss.png", "shampoo-accuracy.png", "shampoo-time.png"), names(one));
        assertCharts(one);

        List<Path> three = ReportRenderer.render(spark, path, List.of("adamw", "shampoo", "eshampoo"), out);
        assertEquals(List.of("adamw-loss.png", "adamw-accuracy.png", "adamw-time.png", "shampoo-loss.png",
                "shampoo-accuracy.png", "shampoo-time.png", "eshampoo-loss.png", "eshampoo-accuracy.png", "eshampoo-time.png",
                "compare-loss.png", "compare-loss-vs-time.png", "compare-accuracy.png"), names(three));
        assertCharts(three);
        try (var listing = Files.list(out)) {
            assertEquals(12L, listing.count()); // no temporary files left behind
        }
    }

    /** Without Spark: a long run (bucketed), a regression run without accuracy, odd run ids. */
    @Test
    void rowsWithoutSpark() throws IOException {
        Map<String, List<StepMetrics>> runs = new LinkedHashMap<>();
        runs.put("long/run", rows("long/run", 1, 1_200, 0));
        List<StepMetrics> regression = new ArrayList<>();
        for (StepMetrics m : rows("compare", 1, 30, 0)) {
            regression.add(new StepMetrics(m.runId(), m.step(), m.epoch(), m.trainLoss(), m.evalLoss(), Double.NaN,
                    m.learningRate(), m.examples(), m.stepMs(), m.dataMs(), m.gradientMs(), m.reduceMs(), m.optimizerMs(),
                    m.overheadMs(), m.eigendecompositions(), m.eigendecompositionsSkipped(), m.timestampMillis()));
        }
        runs.put("compare", regression);
        List<Path> files = ReportRenderer.render(runs, dir);
        assertEquals(List.of("long_run-loss.png", "long_run-accuracy.png", "long_run-time.png", "compare-2-loss.png",
                "compare-2-time.png", "compare-loss.png", "compare-loss-vs-time.png", "compare-accuracy.png"), names(files));
        assertCharts(files);
    }

    /** One step, zero step times, a diverged (NaN) loss: charts are still written, with nothing to throw on. */
    @Test
    void degenerateRuns() throws IOException {
        Map<String, List<StepMetrics>> runs = new LinkedHashMap<>();
        runs.put("one", List.of(new StepMetrics("one", 1, 0.01, 2.3, 2.4, 0.1, 1e-3, 64, 100, 5, 60, 10, 20, 5, 0, 0, 1)));
        runs.put("zero", List.of(new StepMetrics("zero", 1, 0.01, 2.3, Double.NaN, Double.NaN, 1e-3, 64, 0, 0, 0, 0, 0, 0, 0,
                0, 1)));
        runs.put("nan", List.of(new StepMetrics("nan", 1, 0.01, Double.NaN, Double.NaN, Double.NaN, 1e-3, 64, 10, 0, 10, 0,
                0, 0, 0, 0, 1)));
        List<Path> files = ReportRenderer.render(runs, dir);
        assertEquals(List.of("one-loss.png", "one-accuracy.png", "one-time.png", "zero-loss.png", "zero-time.png",
                "nan-loss.png", "nan-time.png", "compare-loss.png", "compare-loss-vs-time.png", "compare-accuracy.png"),
                names(files));
        for (Path f : files) {
            assertEquals(ReportRenderer.WIDTH, ImageIO.read(f.toFile()).getWidth(), f.toString());
        }
    }

    @Test
    void fileNames() {
        assertEquals(Map.of("a/b", "a_b", "a_b", "a_b-2", "compare", "compare-2", ".hidden", "run.hidden", "", "run"),
                ReportRenderer.fileNames(List.of("a/b", "a_b", "compare", ".hidden", "")));
    }

    @Test
    void errors() throws IOException {
        String path = comparisonTable();
        MetricsException none = assertThrows(MetricsException.class, () -> ReportRenderer.render(spark, path, List.of(), dir));
        assertEquals(MetricsException.Kind.NO_RUNS_GIVEN, none.kind());
        assertEquals("No run id given.\n  cause: a report is drawn for one or more runs of the metrics table.\n"
                + "  fix:   usage: lather report <run id>... [--metrics <metrics table>] [--out <dir>]", none.getMessage());

        assertEquals("Run 'sgd' has no rows in metrics table '" + path + "' (runs present: adamw, eshampoo, shampoo).",
                firstLine(assertThrows(MetricsException.class,
                        () -> ReportRenderer.render(spark, path, List.of("adamw", "sgd"), dir.resolve("r")))));
        assertEquals("No metrics table at '" + dir.resolve("nowhere") + "'.", firstLine(assertThrows(MetricsException.class,
                () -> ReportRenderer.render(spark, dir.resolve("nowhere").toString(), List.of("adamw"), dir))));
        assertEquals("'" + dir + "' is not a Delta table.", firstLine(assertThrows(MetricsException.class,
                () -> ReportRenderer.render(spark, dir.toString(), List.of("adamw"), dir.resolve("r")))));

        String empty = dir.resolve("empty").toString();
        new DeltaMetricsSink(spark, empty);
        assertEquals("Metrics table '" + empty + "' has no rows.", firstLine(assertThrows(MetricsException.class,
                () -> ReportRenderer.render(spark, empty, List.of("adamw"), dir.resolve("r")))));

        Path file = Files.writeString(dir.resolve("a-file"), "x");
        MetricsException write = assertThrows(MetricsException.class,
                () -> ReportRenderer.render(spark, path, List.of("adamw"), file));
        assertEquals(MetricsException.Kind.WRITE_FAILED, write.kind());
        assertEquals("Cannot write report file '" + file + "'.", firstLine(write));
        assertTrue(write.getMessage().endsWith("  fix:   choose an output directory you can write to (--out <dir>)."),
                write.getMessage());
    }
}
