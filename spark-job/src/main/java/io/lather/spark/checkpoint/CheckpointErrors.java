package io.lather.spark.checkpoint;

import io.lather.spark.checkpoint.CheckpointException.Kind;
import java.util.List;

/**
 * The one place where the checkpoint package's errors are worded.
 *
 * <p>Every message states the <em>problem</em> on its first line (which table, run, step and tensor, with the values),
 * then a {@code cause:} line and a {@code fix:} line. Tests assert these texts and {@code docs/CHECKPOINT_FORMAT.md}
 * lists the kinds, so change all three together. The last two kinds ({@link Kind#INVALID_CHECKPOINT},
 * {@link Kind#INVALID_ARGUMENT}) are programming errors of the caller (the training loop), worded for its developer.
 */
public final class CheckpointErrors {

    /** Runs or steps listed in a message before it says "and N more". */
    static final int MAX_LISTED = 20;

    private CheckpointErrors() {}

    private static CheckpointException error(Kind kind, String problem, String cause, String fix, Throwable source) {
        return new CheckpointException(kind, problem + "\n  cause: " + cause + "\n  fix:   " + fix, source);
    }

    private static String q(String s) {
        return "'" + s + "'";
    }

    static String listed(List<?> items) {
        if (items.isEmpty()) {
            return "none";
        }
        if (items.size() <= MAX_LISTED) {
            return joined(items);
        }
        return joined(items.subList(0, MAX_LISTED)) + " and " + (items.size() - MAX_LISTED) + " more";
    }

    private static String joined(List<?> items) {
        StringBuilder sb = new StringBuilder();
        for (Object o : items) {
            sb.append(sb.length() == 0 ? "" : ", ").append(o);
        }
        return sb.toString();
    }

    /** The SQL statement that deletes one checkpoint, as the fix lines print it. */
    static String deleteStatement(String path, String runId, long step) {
        return "DELETE FROM delta.`" + path + "` WHERE run_id = '" + runId + "' AND step = " + step;
    }

    /**
     * Nothing at the checkpoint directory.
     *
     * @param path the checkpoint directory
     * @return the exception, to be thrown by the caller
     */
    public static CheckpointException tableNotFound(String path) {
        return error(Kind.TABLE_NOT_FOUND, "No checkpoint table at " + q(path) + ".",
                "the path does not exist; the checkpoint table is created by the first checkpoint a training run writes "
                        + "(job setting checkpoint.dir).",
                "pass the directory the run wrote its checkpoints to (the one that contains _delta_log), or train first.",
                null);
    }

    /**
     * The path holds files but no Delta log.
     *
     * @param path the checkpoint directory
     * @return the exception, to be thrown by the caller
     */
    public static CheckpointException notADeltaTable(String path) {
        return error(Kind.NOT_A_DELTA_TABLE, q(path) + " is not a Delta table, so it cannot be a Lather checkpoint directory.",
                "the path exists and is not empty, but has no _delta_log directory; Lather checkpoints are stored in a "
                        + "Delta table.",
                "point at the checkpoint directory (the one that contains _delta_log), or set checkpoint.dir to a new or "
                        + "empty directory.", null);
    }

    /**
     * A Delta table whose columns are not the checkpoint schema.
     *
     * @param path the table
     * @param problems one entry per missing or mistyped column, e.g. {@code crc32 (missing)},
     *     {@code step (STRING, expected BIGINT)}
     * @param present the table's columns
     * @return the exception, to be thrown by the caller
     */
    public static CheckpointException notACheckpointTable(String path, List<String> problems, List<String> present) {
        return error(Kind.NOT_A_CHECKPOINT_TABLE,
                "Delta table " + q(path) + " is not a Lather checkpoint table: " + String.join(", ", problems)
                        + " (columns present: " + present + ").",
                "a checkpoint table has the columns of docs/CHECKPOINT_FORMAT.md (format_version, run_id, step, kind, "
                        + "..., data, crc32, ...); this path holds another Delta table (a dataset or the metrics table?).",
                "point at the checkpoint directory (job setting checkpoint.dir), or use a new directory for checkpoints.",
                null);
    }

    /**
     * The table has no checkpoint of the run.
     *
     * @param path the table
     * @param runId the requested run
     * @param present the runs the table holds (sorted)
     * @return the exception, to be thrown by the caller
     */
    public static CheckpointException unknownRun(String path, String runId, List<String> present) {
        return error(Kind.UNKNOWN_RUN,
                "Run " + q(runId) + " has no checkpoint in " + q(path) + " (runs present: " + listed(present) + ").",
                "the run id is misspelt, the run wrote its checkpoints to another directory, or it has not reached its "
                        + "first checkpoint (checkpoint.every) yet.",
                "use one of the runs present (lather inspect " + path + " lists them), or pass the run's checkpoint.dir.",
                null);
    }

    /**
     * The run has no checkpoint at the step.
     *
     * @param path the table
     * @param runId the run
     * @param step the requested step
     * @param present the run's steps (ascending)
     * @return the exception, to be thrown by the caller
     */
    public static CheckpointException unknownStep(String path, String runId, long step, List<Long> present) {
        return error(Kind.UNKNOWN_STEP,
                "Run " + q(runId) + " has no checkpoint at step " + step + " in " + q(path) + " (steps present: "
                        + listed(present) + ").",
                "checkpoints are written every checkpoint.every steps and at the last step, and only the newest "
                        + "checkpoint.keep of each run are kept.",
                "choose one of the steps present (lather inspect " + path + " lists them).", null);
    }

    /**
     * A tensor's stored bytes do not match its row: CRC-32, byte length, element type or shape.
     *
     * @param path the table
     * @param runId the run
     * @param step the damaged checkpoint's step
     * @param tensor the tensor, e.g. {@code parameter 'dense1/W'} or {@code optimizer-state tensor 'W/block_0/m'}
     * @param problem what does not match, with the values
     * @param earlierSteps the run's other checkpoints before {@code step} (ascending), for the fix line
     * @return the exception, to be thrown by the caller
     */
    public static CheckpointException corruptTensor(String path, String runId, long step, String tensor, String problem,
            List<Long> earlierSteps) {
        return error(Kind.CORRUPT_CHECKPOINT,
                "Checkpoint of run " + q(runId) + " at step " + step + " in " + q(path) + " is damaged: " + tensor + ": "
                        + problem + ".",
                "the stored bytes changed after the write (a storage fault, or a data file damaged or edited by hand); "
                        + "a Lather write stores each tensor with the CRC-32 and digest of exactly the bytes it wrote.",
                recoverFix(path, runId, step, earlierSteps), null);
    }

    /**
     * A checkpoint's rows are not the complete, consistent set one Lather commit writes.
     *
     * @param path the table
     * @param runId the run
     * @param step the checkpoint's step
     * @param problem what is missing or inconsistent, with the values
     * @param earlierSteps the run's other checkpoints before {@code step} (ascending), for the fix line
     * @return the exception, to be thrown by the caller
     */
    public static CheckpointException incompleteCheckpoint(String path, String runId, long step, String problem,
            List<Long> earlierSteps) {
        return error(Kind.CORRUPT_CHECKPOINT,
                "Checkpoint of run " + q(runId) + " at step " + step + " in " + q(path) + " is incomplete: " + problem
                        + ".",
                "Lather writes all rows of a checkpoint in one atomic Delta commit, so rows were added, changed or deleted "
                        + "afterwards by another writer or by hand.",
                recoverFix(path, runId, step, earlierSteps), null);
    }

    private static String recoverFix(String path, String runId, long step, List<Long> earlierSteps) {
        String earlier = earlierSteps.isEmpty() ? "the run has no earlier checkpoint"
                : "earlier checkpoints of the run: steps " + listed(earlierSteps);
        return "resume from an earlier step with --resume-step or delete the damaged checkpoint (" + earlier + "): "
                + deleteStatement(path, runId, step) + " — the newest remaining valid checkpoint is then used.";
    }

    /**
     * Every checkpoint of the run is damaged or incomplete.
     *
     * @param path the table
     * @param runId the run
     * @param steps the run's checkpoint steps (ascending)
     * @param newest the error of the newest one
     * @return the exception, to be thrown by the caller
     */
    public static CheckpointException noValidCheckpoint(String path, String runId, List<Long> steps,
            CheckpointException newest) {
        String first = newest.getMessage().lines().findFirst().orElse("");
        return error(Kind.CORRUPT_CHECKPOINT,
                "Run " + q(runId) + " has " + steps.size() + " checkpoint(s) in " + q(path) + " (steps " + listed(steps)
                        + ") and none is valid. The newest: " + first,
                "every checkpoint of the run failed validation (CRC-32, row counts or digests); see the log for each.",
                "restart the run from scratch after deleting its checkpoints (DELETE FROM delta.`" + path + "` WHERE "
                        + "run_id = '" + runId + "'), or under a new run.id; if a later commit damaged the table, "
                        + "RESTORE TABLE delta.`" + path + "` TO VERSION AS OF <v> brings back an earlier state "
                        + "(DESCRIBE HISTORY lists the versions).", newest);
    }

    /**
     * A checkpoint written in a newer format.
     *
     * @param path the table
     * @param runId the run
     * @param step the step
     * @param version the checkpoint's format version
     * @return the exception, to be thrown by the caller
     */
    public static CheckpointException unsupportedFormatVersion(String path, String runId, long step, int version) {
        return error(Kind.UNSUPPORTED_FORMAT_VERSION,
                "Checkpoint of run " + q(runId) + " at step " + step + " in " + q(path) + " has format version " + version
                        + "; this Lather reads format versions up to " + CheckpointTable.FORMAT_VERSION + ".",
                "the checkpoint was written by a newer Lather; reading it with this one could misinterpret its rows.",
                "resume with a Lather that reads format " + version + " (the version that wrote it, or newer).", null);
    }

    /**
     * The checkpoint handed to {@code write} is inconsistent.
     *
     * @param problem what is wrong, with the values
     * @return the exception, to be thrown by the caller
     */
    public static CheckpointException invalidCheckpoint(String problem) {
        return error(Kind.INVALID_CHECKPOINT, "Cannot write checkpoint: " + problem + ".",
                "the training loop built an inconsistent Checkpoint; nothing was written.",
                "build the checkpoint from one consistent snapshot (see Checkpoint and docs/CHECKPOINT_FORMAT.md).", null);
    }

    /**
     * An argument outside its range.
     *
     * @param name the argument
     * @param value its value
     * @param range the valid range, e.g. {@code >= 1}
     * @return the exception, to be thrown by the caller
     */
    public static CheckpointException invalidArgument(String name, Object value, String range) {
        return error(Kind.INVALID_ARGUMENT, name + " = " + value + "; must be " + range + ".",
                "the caller passed a value outside the valid range.", "pass " + name + " " + range + ".", null);
    }
}
