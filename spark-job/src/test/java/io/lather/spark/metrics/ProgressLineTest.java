package io.lather.spark.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    /** The example of docs/METRICS.md: 617 examples in 500 ms = 1,234 ex/s; 1,880 steps left at 102.1277 ms = 3m12s. */
    private static StepMetrics example(double evalLoss, double evalAccuracy) {
        return new StepMetrics("r", 120, 1.2345, 0.43121, evalLoss, evalAccuracy, 1e-3, 617, 500, 15, 305, 45, 110, 25, 0, 0,
                1_000_000);
    }

    @Test
    void withEvaluation() {
        assertEquals("step 120/2000  epoch 1.23  loss 0.4312  eval 0.4410/84.1%  1,234 ex/s  ETA 3m12s  "
                + "[data 3% grad 61% reduce 9% opt 22% spark 5%]",
                ProgressLine.format(example(0.44104, 0.8412), 2000, 192_000.0 / 1880));
    }

    @Test
    void withoutEvaluation() {
        assertEquals("step 120/2000  epoch 1.23  loss 0.4312  1,234 ex/s  ETA 3m12s  "
                + "[data 3% grad 61% reduce 9% opt 22% spark 5%]",
                ProgressLine.format(example(Double.NaN, Double.NaN), 2000, 192_000.0 / 1880));
    }

    @Test
    void regressionEvaluationHasNoAccuracy() {
        assertEquals("step 120/2000  epoch 1.23  loss 0.4312  eval 0.4410  1,234 ex/s  ETA 3m12s  "
                + "[data 3% grad 61% reduce 9% opt 22% spark 5%]",
                ProgressLine.format(example(0.44104, Double.NaN), 2000, 192_000.0 / 1880));
    }

    @Test
    void unknownTotalHasNoEta() {
        assertEquals("step 120  epoch 1.23  loss 0.4312  1,234 ex/s  [data 3% grad 61% reduce 9% opt 22% spark 5%]",
                ProgressLine.format(example(Double.NaN, Double.NaN), 0, 100));
    }

    @Test
    void eigendecompositionsAndZeroStepTime() {
        StepMetrics m = new StepMetrics("r", 7, 0.5, 2.0, Double.NaN, Double.NaN, 0.1, 64, 0, 0, 0, 0, 0, 0, 4, 2, 0);
        assertEquals("step 7/10  epoch 0.50  loss 2.0000  ETA 0s  eig 4 (2 skipped)", ProgressLine.format(m, 10, 0));
        StepMetrics n = new StepMetrics("r", 7, 0.5, 2.0, Double.NaN, Double.NaN, 0.1, 64, 0, 0, 0, 0, 0, 0, 3, 0, 0);
        assertEquals("step 7/10  epoch 0.50  loss 2.0000  eig 3", ProgressLine.format(n, 10, Double.NaN));
    }

    @Test
    void durations() {
        assertEquals("0s", ProgressLine.duration(0));
        assertEquals("45s", ProgressLine.duration(45_000));
        assertEquals("1m00s", ProgressLine.duration(59_600));
        assertEquals("3m12s", ProgressLine.duration(192_000));
        assertEquals("1h05m", ProgressLine.duration(3_900_000));
        assertEquals("2d03h", ProgressLine.duration(51 * 3_600_000.0));
        assertEquals("1d00h", ProgressLine.duration(86_399_000)); // 23h59m59s rounds to the next unit, not "24h00m"
    }

    @Test
    void losses() {
        assertEquals("0.4312", ProgressLine.loss(0.43121));
        assertEquals("0.0000", ProgressLine.loss(0));
        assertEquals("1.234e-05", ProgressLine.loss(1.234e-5));
        assertEquals("1.235e+05", ProgressLine.loss(123_456));
        assertEquals("-0.0100", ProgressLine.loss(-0.01));
        assertEquals("NaN", ProgressLine.loss(Double.NaN));
        assertEquals("inf", ProgressLine.loss(Double.POSITIVE_INFINITY));
    }

    @Test
    void localeDoesNotChangeTheLine() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("step 120/2000  epoch 1.23  loss 0.4312  eval 0.4410/84.1%  1,234 ex/s  ETA 3m12s  "
                    + "[data 3% grad 61% reduce 9% opt 22% spark 5%]",
                    ProgressLine.format(example(0.44104, 0.8412), 2000, 192_000.0 / 1880));
        } finally {
            Locale.setDefault(before);
        }
    }

    /** Steps take 10 ms of step time but 1 s of wall-clock (evaluation, checkpoints): the ETA follows the wall clock. */
    @Test
    void etaFollowsWallClockOverTheWindow() {
        ProgressLine p = new ProgressLine(100, 3);
        // first step: no interval yet, the estimate falls back to stepMs: 99 steps x 10 ms ~ 1 s
        assertEquals("ETA 1s", eta(p.format(timed(1, 1_000))));
        assertEquals("ETA 1m38s", eta(p.format(timed(2, 2_000)))); // one 1 s interval, 98 steps left
        assertEquals("ETA 1m38s", eta(p.format(timed(2, 2_000)))); // the same step again: same line, window unchanged
        p.format(timed(3, 7_000)); // a 5 s step (an evaluation)
        p.format(timed(4, 8_000));
        p.format(timed(5, 9_000));
        // window of 3 intervals = steps 2..5: (9000 - 2000) / 3 ms per step, 95 steps left
        assertEquals("ETA 3m42s", eta(p.format(timed(5, 9_000))));
        // the 5 s step leaves the window: steps 3..6 at 1 s each, 94 steps left
        assertEquals("ETA 1m34s", eta(p.format(timed(6, 10_000))));
        // a lower step is a new run: the estimate starts again from stepMs
        assertEquals("ETA 1s", eta(p.format(timed(1, 50_000))));
    }

    @Test
    void invalidArguments() {
        MetricsException e = assertThrows(MetricsException.class, () -> new ProgressLine(-1));
        assertEquals(MetricsException.Kind.INVALID_ARGUMENT, e.kind());
        assertEquals("totalSteps = -1; must be >= 0.\n  cause: the caller passed a value outside the valid range.\n"
                + "  fix:   pass totalSteps >= 0.", e.getMessage());
        assertEquals("window = 0; must be >= 1.", firstLine(assertThrows(MetricsException.class, () -> new ProgressLine(10, 0))));
    }

    private static StepMetrics timed(long step, long timestampMillis) {
        return new StepMetrics("r", step, 0, 1, Double.NaN, Double.NaN, 0.1, 10, 10, 1, 6, 1, 1, 1, 0, 0, timestampMillis);
    }

    private static String eta(String line) {
        int i = line.indexOf("ETA ");
        return line.substring(i, line.indexOf("  ", i));
    }

    static String firstLine(Exception e) {
        return e.getMessage().lines().findFirst().orElseThrow();
    }
}
