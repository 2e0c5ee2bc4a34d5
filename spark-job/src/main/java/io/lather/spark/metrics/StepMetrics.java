package io.lather.spark.metrics;

import java.io.Serializable;

/**
 * One row of the metrics table: what happened at one training step. Times are milliseconds of wall-clock time on the
 * driver: data = slicing and packing the batch on executors (slowest task), gradient = forward/backward on executors
 * (slowest task), reduce = merging partition results on the driver, optimizer = the driver's optimizer step, overhead =
 * the rest of the step (scheduling, broadcast, serialization, result transfer). Overhead is stepMs minus the other four,
 * clamped at 0: data and gradient are the slowest task's, and tasks of different partitions may overlap, so with
 * more partitions than cores the four parts can exceed the step time.
 *
 * @param runId run id
 * @param step step (1-based)
 * @param epoch fractional epoch reached after the step
 * @param trainLoss mean training loss of the step's global batch (before the update)
 * @param evalLoss mean loss on the evaluation table, or NaN when not evaluated at this step
 * @param evalAccuracy accuracy on the evaluation table (classification), or NaN
 * @param learningRate learning rate used by the step
 * @param examples examples in the global batch
 * @param stepMs wall time of the step
 * @param dataMs see above
 * @param gradientMs see above
 * @param reduceMs see above
 * @param optimizerMs see above
 * @param overheadMs see above
 * @param eigendecompositions factor eigendecompositions / root computations done at this step
 * @param eigendecompositionsSkipped factor refreshes skipped by the adaptive criterion at this step
 * @param timestampMillis wall-clock time at the end of the step
 */
public record StepMetrics(String runId, long step, double epoch, double trainLoss, double evalLoss, double evalAccuracy,
        double learningRate, long examples, double stepMs, double dataMs, double gradientMs, double reduceMs, double optimizerMs,
        double overheadMs, long eigendecompositions, long eigendecompositionsSkipped, long timestampMillis) implements Serializable {}
