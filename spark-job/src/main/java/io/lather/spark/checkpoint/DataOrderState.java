package io.lather.spark.checkpoint;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where the data order of a run stands after a step, enough to continue it exactly: the batch of step t on partition p
 * is a pure function of (seed, partitions, partition sizes, batch size, t) — see {@code io.lather.spark.train.BatchPlan}.
 *
 * @param step last completed step
 * @param epoch global epoch (completed passes over the training rows, fractional part dropped)
 * @param seed run seed of the per-epoch shuffles
 * @param partitions P
 * @param batchPerPartition b
 * @param partitionSizes rows held by each partition, in partition order
 */
public record DataOrderState(long step, long epoch, long seed, int partitions, int batchPerPartition, long[] partitionSizes)
        implements Serializable {
    public DataOrderState {
        partitionSizes = partitionSizes.clone();
    }

    /** A copy of the sizes (the record keeps its own). */
    @Override
    public long[] partitionSizes() {
        return partitionSizes.clone();
    }

    // records compare arrays by identity; a data order is a value, so compare the sizes element-wise
    @Override
    public boolean equals(Object o) {
        return o instanceof DataOrderState d && step == d.step && epoch == d.epoch && seed == d.seed && partitions == d.partitions
                && batchPerPartition == d.batchPerPartition && Arrays.equals(partitionSizes, d.partitionSizes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(step, epoch, seed, partitions, batchPerPartition, Arrays.hashCode(partitionSizes));
    }

    @Override
    public String toString() {
        return "DataOrderState[step=" + step + ", epoch=" + epoch + ", seed=" + seed + ", partitions=" + partitions
                + ", batchPerPartition=" + batchPerPartition + ", partitionSizes=" + Arrays.toString(partitionSizes) + "]";
    }
}
