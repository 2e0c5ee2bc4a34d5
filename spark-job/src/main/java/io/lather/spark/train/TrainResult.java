package io.lather.spark.train;

/**
 * Summary of a finished (or resumed and finished) run.
 *
 * @param runId run id
 * @param steps last step reached
 * @param trainLoss mean training loss of the last step's batch
 * @param evalLoss final evaluation loss (NaN without an evaluation table)
 * @param evalAccuracy final evaluation accuracy (NaN without one, or for regression)
 * @param parameterDigest SHA-256 of the final parameters (checkpoint digest)
 * @param optimizerDigest SHA-256 of the final optimizer state (checkpoint digest)
 * @param wallMillis wall time of this invocation's training loop (excluding data loading)
 * @param examples examples processed by this invocation
 */
public record TrainResult(String runId, long steps, double trainLoss, double evalLoss, double evalAccuracy, String parameterDigest,
        String optimizerDigest, long wallMillis, long examples) {}
