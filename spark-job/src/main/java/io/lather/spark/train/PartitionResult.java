package io.lather.spark.train;

import java.io.Serializable;

/**
 * What one partition's gradient task returns: sums over its batch (never means, so that the sum of partitions equals
 * the full batch) and, in partition statistics mode, its per-block statistics.
 *
 * @param partition partition index
 * @param rows rows in the batch
 * @param lossSum sum of per-example losses
 * @param correct correct arg-max predictions (classification)
 * @param gradientSums per parameter, in model order
 * @param statistics partition statistics per block task and factor, flattened in plan order (null in global mode)
 * @param dataNanos time to slice the batch
 * @param computeNanos time of forward/backward (and statistics)
 */
public record PartitionResult(int partition, long rows, double lossSum, long correct, double[][] gradientSums, double[][] statistics,
        long dataNanos, long computeNanos) implements Serializable {}
