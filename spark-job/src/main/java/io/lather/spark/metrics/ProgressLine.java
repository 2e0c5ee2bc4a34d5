package io.lather.spark.metrics;

import java.util.ArrayDeque;
import java.util.Locale;

/**
 * The one-line progress message printed after a training step:
 * <pre>
 * step 120/2000  epoch 1.23  loss 0.4312  eval 0.4410/84.1%  1,234 ex/s  ETA 3m12s  [data 3% grad 61% reduce 9% opt 22% spark 5%]  eig 4
 * </pre>
 * Fields, separated by two spaces, each left out when it has nothing to say:
 * <ul>
 *   <li>{@code step t/T} (just {@code step t} when the total is unknown, {@code T = 0});</li>
 *   <li>{@code epoch}, 2 decimals;</li>
 *   <li>{@code loss}: the step's training loss, 4 decimals ({@code 1.234e-05} style below 0.001 or from 100,000 on);</li>
 *   <li>{@code eval loss/accuracy%} only at steps with an evaluation; {@code eval loss} alone for regression;</li>
 *   <li>{@code ex/s}: the step's examples over its {@code stepMs}, i.e. training throughput, not counting evaluation
 *       and checkpoint time;</li>
 *   <li>{@code ETA}: remaining steps times the recent wall-clock time per step (see {@link #format(StepMetrics)});
 *       {@code 45s}, {@code 3m12s}, {@code 1h05m}, {@code 2d03h};</li>
 *   <li>{@code [...]}: the step's time split as percentages of {@code stepMs}: data, grad(ient), reduce,
 *       opt(imizer) and spark = {@code overheadMs} (scheduling, broadcast, serialization); see {@link StepMetrics};</li>
 *   <li>{@code eig n}: eigendecompositions done at the step, {@code eig n (k skipped)} when the adaptive criterion
 *       skipped some; absent when both are 0.</li>
 * </ul>
 * Numbers are formatted with {@link Locale#ROOT} (decimal point, comma thousands separator) whatever the JVM's locale,
 * so logs read and parse the same everywhere.
 *
 * <p>{@link #format(StepMetrics, long, double)} is a pure function. An instance adds the one piece of state a line
 * needs, the moving estimate of time per step.
 */
public final class ProgressLine {

    /** Default number of recent observations the time-per-step estimate spans. */
    public static final int DEFAULT_WINDOW = 20;

    private final long totalSteps;
    private final int window;
    /** (step, timestampMillis) of the most recent observations, oldest first, at most window + 1. */
    private final ArrayDeque<long[]> recent = new ArrayDeque<>();

    /**
     * @param totalSteps the run's last step, or 0 when unknown (no {@code /T}, no ETA)
     */
    public ProgressLine(long totalSteps) {
        this(totalSteps, DEFAULT_WINDOW);
    }

    /**
     * @param totalSteps the run's last step, or 0 when unknown (no {@code /T}, no ETA)
     * @param window how many recent step intervals the time-per-step estimate averages, &ge; 1
     */
    public ProgressLine(long totalSteps, int window) {
        if (totalSteps < 0) {
            throw MetricsErrors.invalidArgument("totalSteps", totalSteps, ">= 0");
        }
        if (window < 1) {
            throw MetricsErrors.invalidArgument("window", window, ">= 1");
        }
        this.totalSteps = totalSteps;
        this.window = window;
    }

    /**
     * Records the step in the time-per-step estimate and returns its progress line.
     *
     * <p>The estimate is wall-clock: {@code (timestamp of the newest observation - timestamp of the oldest) / (steps
     * between them)} over the last {@code window} observations. Using the rows' timestamps, not {@code stepMs}, makes
     * the ETA include evaluation, checkpoint and flush time, and stays right when the loop prints only every k-th step.
     * With a single observation (the first step, or the first after a resume) it falls back to the step's
     * {@code stepMs}. Formatting the same step twice gives the same line; a step below the newest observed one (a new
     * run) starts the estimate afresh.
     *
     * @param m the step's metrics
     * @return the progress line
     */
    public String format(StepMetrics m) {
        long[] newest = recent.peekLast();
        if (newest != null && m.step() < newest[0]) {
            recent.clear();
            newest = null;
        }
        if (newest == null || m.step() > newest[0]) {
            recent.addLast(new long[] {m.step(), m.timestampMillis()});
            while (recent.size() > window + 1) {
                recent.removeFirst();
            }
        }
        return format(m, totalSteps, msPerStep(m));
    }

    private double msPerStep(StepMetrics m) {
        long[] first = recent.peekFirst();
        long[] last = recent.peekLast();
        if (recent.size() < 2 || last[0] == first[0]) {
            return m.stepMs();
        }
        return (double) (last[1] - first[1]) / (last[0] - first[0]);
    }

    /**
     * The progress line of a step: a pure function of its arguments (format in the class comment).
     *
     * @param m the step's metrics
     * @param totalSteps the run's last step, or 0 when unknown
     * @param msPerStep the expected wall-clock milliseconds per remaining step (for the ETA); NaN for no ETA
     * @return the line, without a line terminator
     */
    public static String format(StepMetrics m, long totalSteps, double msPerStep) {
        StringBuilder sb = new StringBuilder();
        sb.append("step ").append(m.step());
        if (totalSteps > 0) {
            sb.append('/').append(totalSteps);
        }
        sb.append("  epoch ").append(String.format(Locale.ROOT, "%.2f", m.epoch()));
        sb.append("  loss ").append(loss(m.trainLoss()));
        boolean hasEvalLoss = !Double.isNaN(m.evalLoss());
        boolean hasAccuracy = !Double.isNaN(m.evalAccuracy());
        if (hasEvalLoss || hasAccuracy) {
            sb.append("  eval ").append(hasEvalLoss ? loss(m.evalLoss()) : "-");
            if (hasAccuracy) {
                sb.append('/').append(String.format(Locale.ROOT, "%.1f%%", 100 * m.evalAccuracy()));
            }
        }
        if (m.stepMs() > 0) {
            sb.append(String.format(Locale.ROOT, "  %,d ex/s", Math.round(m.examples() * 1000.0 / m.stepMs())));
        }
        if (totalSteps > 0 && msPerStep >= 0 && Double.isFinite(msPerStep)) {
            sb.append("  ETA ").append(duration(Math.max(0, totalSteps - m.step()) * msPerStep));
        }
        if (m.stepMs() > 0) {
            sb.append("  [data ").append(percent(m.dataMs(), m.stepMs()))
                    .append(" grad ").append(percent(m.gradientMs(), m.stepMs()))
                    .append(" reduce ").append(percent(m.reduceMs(), m.stepMs()))
                    .append(" opt ").append(percent(m.optimizerMs(), m.stepMs()))
                    .append(" spark ").append(percent(m.overheadMs(), m.stepMs())).append(']');
        }
        if (m.eigendecompositions() > 0 || m.eigendecompositionsSkipped() > 0) {
            sb.append("  eig ").append(m.eigendecompositions());
            if (m.eigendecompositionsSkipped() > 0) {
                sb.append(" (").append(m.eigendecompositionsSkipped()).append(" skipped)");
            }
        }
        return sb.toString();
    }

    /** A loss: fixed 4 decimals where that shows 4 significant digits or fewer than 6 integer digits, else scientific. */
    static String loss(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(v);
        return a == 0 || (a >= 1e-3 && a < 1e5) ? String.format(Locale.ROOT, "%.4f", v)
                : String.format(Locale.ROOT, "%.3e", v);
    }

    /** A duration rounded to whole seconds, with the two largest units: 45s, 3m12s, 1h05m, 2d03h. */
    static String duration(double ms) {
        long s = Math.round(ms / 1000);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        long m = Math.round(s / 60.0);
        if (m < 24 * 60) {
            return String.format(Locale.ROOT, "%dh%02dm", m / 60, m % 60);
        }
        long h = Math.round(s / 3600.0);
        return String.format(Locale.ROOT, "%dd%02dh", h / 24, h % 24);
    }

    private static String percent(double part, double whole) {
        return Math.round(100 * part / whole) + "%";
    }
}
