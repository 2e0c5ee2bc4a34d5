package io.lather.models;

import java.io.Serializable;

/**
 * The result of {@link Model#evaluate}: sums over the rows of one batch, from which the mean loss
 * ({@code lossSum / rows}) and the accuracy ({@code correctCount / rows}) of any union of batches follow.
 * A record of primitives, so it can be the value a Spark aggregation carries; {@link #plus} is its merge.
 *
 * @param lossSum      Σ over rows of the per-example loss (the same loss as {@link Model#lossAndGradient})
 * @param correctCount for classification, rows whose arg-max prediction equals the label (ties go to the lowest
 *                     class index); 0 for other tasks
 * @param rows         number of rows
 */
public record EvaluationSums(double lossSum, long correctCount, long rows) implements Serializable {

    /** The identity of {@link #plus}: no rows. */
    public static final EvaluationSums EMPTY = new EvaluationSums(0.0, 0, 0);

    /**
     * Component-wise sum. Counts add exactly; the loss sums add in double, so (as for any floating-point sum) the
     * result depends on the order of additions: merge in a fixed order when bitwise reproducibility matters.
     *
     * @param other another batch's sums
     * @return the sums of both
     */
    public EvaluationSums plus(EvaluationSums other) {
        return new EvaluationSums(lossSum + other.lossSum, correctCount + other.correctCount, rows + other.rows);
    }

    /**
     * The mean per-example loss.
     *
     * @return {@code lossSum / rows}, NaN if there are no rows
     */
    public double meanLoss() {
        return rows == 0 ? Double.NaN : lossSum / rows;
    }

    /**
     * The fraction of rows classified correctly (meaningful for classification only).
     *
     * @return {@code correctCount / rows}, NaN if there are no rows
     */
    public double accuracy() {
        return rows == 0 ? Double.NaN : (double) correctCount / rows;
    }
}
