package io.lather.datasets;

import java.util.Objects;

/**
 * The one exception type this module throws for problems a user can fix: bad input data, a table that is
 * not in the Lather format, a missing dataset package, an invalid generator setting.
 *
 * <p>Every instance is built by {@link DataErrors}, so its message always has the same shape: a first line
 * naming the table (or file), the column and the problem; a {@code where:} line with an example offending
 * row (row id, row number in scan order, value) when the problem is in the data; a {@code cause:} line; a
 * {@code fix:} line. {@link #kind()} lets callers (and tests) branch on the problem without parsing text.
 */
public final class LatherDataException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What went wrong, independent of the wording of the message. */
  public enum Kind {
    /** A required column is absent (Lather schema or a column named in a source mapping). */
    MISSING_COLUMN,
    /** A column has a type the Lather schema or the loader does not accept. */
    WRONG_TYPE,
    /** A required value is null (or, for text input, empty / not a number). */
    NULL_VALUE,
    /** A feature or target value is NaN or infinite. */
    NON_FINITE_FEATURE,
    /** A label is NaN or infinite. */
    NON_FINITE_LABEL,
    /** A classification label is negative, not integral, or not below {@code num_classes}. */
    LABEL_OUT_OF_RANGE,
    /** Feature (or target) arrays do not all have the same length. */
    RAGGED_FEATURES,
    /** Feature arrays have a different length from the one declared ({@code lather.num_features}). */
    FEATURE_COUNT_MISMATCH,
    /** The table (or input) has no rows. */
    EMPTY_TABLE,
    /** A split name is the empty string. */
    EMPTY_SPLIT_NAME,
    /** The table holds a different number of rows than {@code lather.num_rows} records. */
    ROW_COUNT_MISMATCH,
    /** No Delta table at the given path. */
    TABLE_NOT_FOUND,
    /** A Delta table without the Lather properties. */
    NOT_A_LATHER_TABLE,
    /** {@code lather.schema.version} is newer than this reader understands. */
    UNSUPPORTED_SCHEMA_VERSION,
    /** A {@code lather.*} property is present but cannot be parsed. */
    BAD_PROPERTY,
    /** The target table exists with different content and overwrite was not requested. */
    TABLE_EXISTS,
    /** The target path exists, is not empty and is not a Delta table. */
    PATH_NOT_EMPTY,
    /** An input file or directory does not exist. */
    INPUT_NOT_FOUND,
    /** The Debian dataset package is not installed (or the directory override is wrong). */
    DATASET_NOT_INSTALLED,
    /** An IDX file does not start with the expected magic number. */
    IDX_BAD_MAGIC,
    /** An IDX file ends before the data its header announces. */
    IDX_TRUNCATED,
    /** An IDX images file and labels file disagree on the number of examples. */
    IDX_COUNT_MISMATCH,
    /** An IDX file cannot be read at all (I/O error, corrupt gzip stream). */
    IDX_UNREADABLE,
    /** A feature selection (prefix, range, list) matches no usable column. */
    BAD_FEATURE_SELECTION,
    /** Label indexing found more distinct values than a classification table may have. */
    TOO_MANY_CLASSES,
    /** A loader or generator setting is out of its valid range. */
    INVALID_CONFIG
  }

  private final Kind kind;

  LatherDataException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /** @return the kind of problem; stable across wording changes of the message */
  public Kind kind() {
    return kind;
  }
}
