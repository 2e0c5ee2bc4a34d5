package io.lather.spark.metrics;

import io.lather.spark.metrics.MetricsException.Kind;
import java.util.Collection;
import java.util.List;

/**
 * The one place where the metrics package's errors are worded.
 *
 * <p>Every message states the <em>problem</em> on its first line (which table, which run, which value), then a
 * {@code cause:} line and a {@code fix:} line. Tests assert these texts and {@code docs/METRICS.md} lists the kinds, so
 * change all three together. The last three kinds ({@link Kind#WRONG_RUN}, {@link Kind#STEP_NOT_INCREASING},
 * {@link Kind#INVALID_ARGUMENT}) are programming errors of the caller (the training loop), worded for its developer.
 */
public final class MetricsErrors {

    /** Runs listed in an error message before it says "and N more". */
    static final int MAX_LISTED_RUNS = 20;

    private MetricsErrors() {}

    private static MetricsException error(Kind kind, String problem, String cause, String fix, Throwable source) {
        return new MetricsException(kind, problem + "\n  cause: " + cause + "\n  fix:   " + fix, source);
    }

    private static String q(String s) {
        return "'" + s + "'";
    }

    /**
     * Nothing at the metrics path.
     *
     * @param path the metrics table path
     * @return the exception, to be thrown by the caller
     */
    public static MetricsException tableNotFound(String path) {
        return error(Kind.TABLE_NOT_FOUND, "No metrics table at " + q(path) + ".",
                "the path does not exist; a metrics table is created by the first training run that writes to it "
                        + "(job setting metrics.table, default <data.dir>/metrics).",
                "pass the table the run wrote to (lather report <run> --metrics <path>; the run's metrics.table), "
                        + "or train first.", null);
    }

    /**
     * The path holds files but no Delta log.
     *
     * @param path the metrics table path
     * @return the exception, to be thrown by the caller
     */
    public static MetricsException notADeltaTable(String path) {
        return error(Kind.NOT_A_DELTA_TABLE, q(path) + " is not a Delta table.",
                "the path exists and is not empty, but has no _delta_log directory; metrics are stored in a Delta table.",
                "point at the metrics table (the directory that contains _delta_log), or set metrics.table to a new "
                        + "or empty directory.", null);
    }

    /**
     * A Delta table whose columns are not the metrics schema.
     *
     * @param path the table path
     * @param problems one entry per missing or mistyped column, e.g. {@code step (missing)},
     *     {@code step (STRING, expected BIGINT)}
     * @param present the table's columns
     * @return the exception, to be thrown by the caller
     */
    public static MetricsException notAMetricsTable(String path, List<String> problems, List<String> present) {
        return error(Kind.NOT_A_METRICS_TABLE,
                "Delta table " + q(path) + " is not a Lather metrics table: " + String.join(", ", problems)
                        + " (columns present: " + present + ").",
                "a metrics table has the columns of docs/METRICS.md (run_id, step, ..., timestamp_millis); this path "
                        + "holds another Delta table (a dataset or the checkpoint table?).",
                "point at the metrics table (job setting metrics.table, default <data.dir>/metrics).", null);
    }

    /**
     * The table declares a schema version this code does not read.
     *
     * @param path the table path
     * @param version the value of {@code lather.metrics.schema.version}
     * @return the exception, to be thrown by the caller
     */
    public static MetricsException unsupportedSchemaVersion(String path, String version) {
        return error(Kind.UNSUPPORTED_SCHEMA_VERSION,
                "Metrics table " + q(path) + " has " + MetricsSchema.VERSION_PROPERTY + " = " + version
                        + "; this Lather reads version " + MetricsSchema.VERSION + ".",
                "the table was written by a newer Lather (or the property was edited by hand).",
                "read it with the Lather version that wrote it, or write this run's metrics to a new table.", null);
    }

    /**
     * The table exists but holds no rows.
     *
     * @param path the table path
     * @return the exception, to be thrown by the caller
     */
    public static MetricsException emptyTable(String path) {
        return error(Kind.EMPTY_TABLE, "Metrics table " + q(path) + " has no rows.",
                "no run has flushed metrics to it yet: rows are written with each checkpoint (checkpoint.every) and at "
                        + "the end of a run.",
                "wait for the run's first checkpoint, or check that the run writes to this table (metrics.table).",
                null);
    }

    /**
     * The run has no rows.
     *
     * @param path the table path
     * @param runId the requested run
     * @param present the runs the table holds (sorted)
     * @return the exception, to be thrown by the caller
     */
    public static MetricsException unknownRun(String path, String runId, List<String> present) {
        String listed = present.size() <= MAX_LISTED_RUNS ? String.join(", ", present)
                : String.join(", ", present.subList(0, MAX_LISTED_RUNS)) + " and " + (present.size() - MAX_LISTED_RUNS)
                        + " more";
        String suggestion = closest(runId, present);
        return error(Kind.UNKNOWN_RUN,
                "Run " + q(runId) + " has no rows in metrics table " + q(path) + " (runs present: " + listed + ")."
                        + (suggestion == null ? "" : " Did you mean " + q(suggestion) + "?"),
                "the run id is misspelt, the run wrote its metrics to another table, or it has not reached its first "
                        + "checkpoint yet.",
                "use one of the runs present, or pass the run's table with --metrics <path>.", null);
    }

    /**
     * {@code lather report} without run ids.
     *
     * @param usage the command's usage line
     * @return the exception, to be thrown by the caller
     */
    public static MetricsException noRunsGiven(String usage) {
        return error(Kind.NO_RUNS_GIVEN, "No run id given.",
                "a report is drawn for one or more runs of the metrics table.",
                "usage: " + usage, null);
    }

    /**
     * A report file could not be written.
     *
     * @param path the file or directory
     * @param source the I/O error
     * @return the exception, to be thrown by the caller
     */
    public static MetricsException writeFailed(String path, Exception source) {
        return error(Kind.WRITE_FAILED, "Cannot write report file " + q(path) + ".",
                source.getClass().getSimpleName() + ": " + source.getMessage(),
                "choose an output directory you can write to (--out <dir>).", source);
    }

    /**
     * A row of another run while rows of a run are buffered.
     *
     * @param bufferedRun the run whose rows are buffered
     * @param addedRun the run of the rejected row
     * @param step the rejected row's step
     * @return the exception, to be thrown by the caller
     */
    public static MetricsException wrongRun(String bufferedRun, String addedRun, long step) {
        return error(Kind.WRONG_RUN,
                "Cannot add the row of run " + q(addedRun) + " step " + step + ": rows of run " + q(bufferedRun)
                        + " are buffered.",
                "a flush writes the rows of one run in one Delta commit, so a buffer holds one run at a time.",
                "flush() before adding rows of another run, or use one sink per run.", null);
    }

    /**
     * A step that does not follow the run's previous step.
     *
     * @param runId the run
     * @param step the rejected step
     * @param previous the previous step of the run in this sink (buffered, flushed, or the truncation point)
     * @return the exception, to be thrown by the caller
     */
    public static MetricsException stepNotIncreasing(String runId, long step, long previous) {
        return error(Kind.STEP_NOT_INCREASING,
                "Cannot add step " + step + " of run " + q(runId) + ": the previous step of the run is " + previous + ".",
                "steps of a run must increase; a flush replaces the run's rows from its first step on, so an older "
                        + "step would delete newer rows.",
                "add each step once, in order; when resuming from a checkpoint call truncateAfter(runId, "
                        + "checkpointStep) first.", null);
    }

    /**
     * An argument outside its range.
     *
     * @param name the argument
     * @param value its value
     * @param range the valid range, e.g. {@code >= 1}
     * @return the exception, to be thrown by the caller
     */
    public static MetricsException invalidArgument(String name, Object value, String range) {
        return error(Kind.INVALID_ARGUMENT, name + " = " + value + "; must be " + range + ".",
                "the caller passed a value outside the valid range.", "pass " + name + " " + range + ".", null);
    }

    /** The closest candidate within edit distance 2 (or a third of the length), or null: a did-you-mean hint. */
    static String closest(String wanted, Collection<String> candidates) {
        String best = null;
        int bestDistance = Math.max(2, wanted.length() / 3) + 1;
        for (String c : candidates) {
            int d = io.lather.optimizer.config.Presets.editDistance(wanted, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }
}
