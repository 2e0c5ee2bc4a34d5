/**
 * Training checkpoints in a Delta table: {@link io.lather.spark.checkpoint.DeltaCheckpointStore} writes a
 * {@link io.lather.spark.checkpoint.Checkpoint} (parameters, optimizer state, data order, metadata) as one idempotent
 * Delta commit and reads it back strictly validated; {@link io.lather.spark.checkpoint.CheckpointDigests} defines the
 * SHA-256 content digests; {@link io.lather.spark.checkpoint.CheckpointTable} the columns. Errors are worded in
 * {@link io.lather.spark.checkpoint.CheckpointErrors}. The format is specified in {@code docs/CHECKPOINT_FORMAT.md}.
 */
package io.lather.spark.checkpoint;
