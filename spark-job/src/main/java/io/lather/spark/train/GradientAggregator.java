package io.lather.spark.train;

import java.io.Serializable;

/**
 * The monoid that reduces partition results to the driver (after Spark MLlib's {@code ml.optim} aggregators):
 * {@link #add} folds in one partition's result, {@link #merge} combines two aggregators, {@link #empty()} is the
 * identity. Sums are float64 and element-wise, so the result depends only on the order of the merges; the training
 * loop always merges in partition-index order (never task-completion order), which makes the reduction — and
 * therefore the whole run — bit-for-bit reproducible.
 */
public final class GradientAggregator implements Serializable {
    private static final long serialVersionUID = 1L;

    private long rows;
    private double lossSum;
    private long correct;
    private double[][] gradients;
    private double[][] statistics;
    private int partitions;
    private long maxDataNanos;
    private long maxComputeNanos;

    /** The identity. */
    public static GradientAggregator empty() {
        return new GradientAggregator();
    }

    /** Folds in one partition result. */
    public GradientAggregator add(PartitionResult r) {
        rows += r.rows();
        lossSum += r.lossSum();
        correct += r.correct();
        gradients = addInto(gradients, r.gradientSums());
        statistics = addInto(statistics, r.statistics());
        partitions++;
        maxDataNanos = Math.max(maxDataNanos, r.dataNanos());
        maxComputeNanos = Math.max(maxComputeNanos, r.computeNanos());
        return this;
    }

    /** Combines another aggregator into this one (this ⊕ other). */
    public GradientAggregator merge(GradientAggregator o) {
        rows += o.rows;
        lossSum += o.lossSum;
        correct += o.correct;
        gradients = addInto(gradients, o.gradients);
        statistics = addInto(statistics, o.statistics);
        partitions += o.partitions;
        maxDataNanos = Math.max(maxDataNanos, o.maxDataNanos);
        maxComputeNanos = Math.max(maxComputeNanos, o.maxComputeNanos);
        return this;
    }

    private static double[][] addInto(double[][] acc, double[][] x) {
        if (x == null) {
            return acc;
        }
        if (acc == null) {
            double[][] c = new double[x.length][];
            for (int i = 0; i < x.length; i++) {
                c[i] = x[i].clone();
            }
            return c;
        }
        if (acc.length != x.length) {
            throw new IllegalArgumentException("cannot merge aggregates of " + acc.length + " and " + x.length + " tensors");
        }
        for (int i = 0; i < x.length; i++) {
            double[] a = acc[i];
            double[] b = x[i];
            if (a.length != b.length) {
                throw new IllegalArgumentException("cannot merge tensor " + i + " of length " + a.length + " with " + b.length);
            }
            for (int k = 0; k < a.length; k++) {
                a[k] += b[k];
            }
        }
        return acc;
    }

    public long rows() {
        return rows;
    }

    public double lossSum() {
        return lossSum;
    }

    public long correct() {
        return correct;
    }

    /** Gradient sums per parameter (null while empty). */
    public double[][] gradients() {
        return gradients;
    }

    /** Statistics sums (null in global mode or while empty). */
    public double[][] statistics() {
        return statistics;
    }

    /** Number of partition results folded in. */
    public int partitions() {
        return partitions;
    }

    public long maxDataNanos() {
        return maxDataNanos;
    }

    public long maxComputeNanos() {
        return maxComputeNanos;
    }
}
