package io.lather.spark.metrics;

import java.util.Objects;

/**
 * The one exception type of the metrics package: a metrics table that is missing, not a Delta table or not a metrics
 * table, an unknown run, an empty table, a report that cannot be written, or a sink used against its contract.
 *
 * <p>Every instance is built by {@link MetricsErrors}, so the message always has the same shape: a first line with the
 * problem (naming the table, the run, the value), a {@code cause:} line and a {@code fix:} line. {@link #kind()} lets
 * callers and tests branch on the problem without parsing text.
 */
public final class MetricsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, independent of the wording. */
    public enum Kind {
        /** Nothing exists at the metrics table path. */
        TABLE_NOT_FOUND,
        /** The path exists and holds files, but it is not a Delta table. */
        NOT_A_DELTA_TABLE,
        /** A Delta table whose columns are not the metrics schema. */
        NOT_A_METRICS_TABLE,
        /** {@code lather.metrics.schema.version} is newer than this code understands, or not a number. */
        UNSUPPORTED_SCHEMA_VERSION,
        /** The metrics table has no rows at all. */
        EMPTY_TABLE,
        /** The metrics table has no rows of the requested run. */
        UNKNOWN_RUN,
        /** {@code lather report} was called without a run id. */
        NO_RUNS_GIVEN,
        /** A report file or directory could not be written. */
        WRITE_FAILED,
        /** Programming error: a row of another run was added while rows of a run are buffered. */
        WRONG_RUN,
        /** Programming error: a step was added that does not follow the previous step of the run. */
        STEP_NOT_INCREASING,
        /** Programming error: an argument outside its valid range. */
        INVALID_ARGUMENT
    }

    private final Kind kind;

    MetricsException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** @return what went wrong */
    public Kind kind() {
        return kind;
    }
}
