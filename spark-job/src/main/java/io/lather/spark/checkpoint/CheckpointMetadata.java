package io.lather.spark.checkpoint;

import java.io.Serializable;
import java.util.Map;

/**
 * What a checkpoint records beside its tensors, so that it is self-describing and resume can refuse an incompatible run.
 *
 * @param runId the run
 * @param step step after which the checkpoint was taken
 * @param config the complete effective job configuration (key = value lines, sorted)
 * @param compatibilityDigest SHA-256 over the settings that must not change across a resume (model, optimizer, data
 *     order); resume compares it
 * @param versions component versions (lather, spark, delta, nd4j, java)
 * @param sourceTable path of the training table read
 * @param sourceVersion Delta version of that table when the run read it
 * @param createdAtMillis wall-clock time of the write
 */
public record CheckpointMetadata(String runId, long step, String config, String compatibilityDigest, Map<String, String> versions,
        String sourceTable, long sourceVersion, long createdAtMillis) implements Serializable {}
