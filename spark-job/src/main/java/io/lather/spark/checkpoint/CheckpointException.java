package io.lather.spark.checkpoint;

import java.util.Objects;

/**
 * The one exception type of the checkpoint package: a checkpoint directory that is not a Delta table or not a Lather
 * checkpoint table, an unknown run or step, a damaged or incomplete checkpoint, a checkpoint written in a newer format,
 * or a checkpoint (or setting) that the writer refuses.
 *
 * <p>Every instance is built by {@link CheckpointErrors}, so the message always has the same shape: a first line with
 * the problem (naming the table, the run, the step and the tensor), a {@code cause:} line and a {@code fix:} line.
 * {@link #kind()} lets callers and tests branch on the problem without parsing text.
 */
public final class CheckpointException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, independent of the wording. */
    public enum Kind {
        /** Nothing exists at the checkpoint directory (only reported by operations that need a table). */
        TABLE_NOT_FOUND,
        /** The path exists and holds files, but it is not a Delta table. */
        NOT_A_DELTA_TABLE,
        /** A Delta table whose columns are not the checkpoint schema (a missing or mistyped column). */
        NOT_A_CHECKPOINT_TABLE,
        /** The table holds no checkpoint of the requested run. */
        UNKNOWN_RUN,
        /** The run has no checkpoint at the requested step. */
        UNKNOWN_STEP,
        /** A checkpoint's rows are incomplete or damaged: counts, CRC-32, types, shapes or digests do not match. */
        CORRUPT_CHECKPOINT,
        /** A checkpoint was written in a newer format than this code reads. */
        UNSUPPORTED_FORMAT_VERSION,
        /** Programming error of the caller: the checkpoint handed to {@code write} is inconsistent. */
        INVALID_CHECKPOINT,
        /** Programming error of the caller: an argument outside its valid range. */
        INVALID_ARGUMENT
    }

    private final Kind kind;

    CheckpointException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** @return what went wrong; stable across wording changes of the message */
    public Kind kind() {
        return kind;
    }
}
