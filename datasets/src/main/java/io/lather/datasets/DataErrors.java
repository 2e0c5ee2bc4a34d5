package io.lather.datasets;

import io.lather.datasets.LatherDataException.Kind;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * The one place where this module's user-facing errors are worded.
 *
 * <p>Every message states the <em>problem</em> (first line: which table or file, which column, what is
 * wrong), <em>where</em> (for data problems: an example offending row), the <em>cause</em> and the
 * <em>fix</em>. Tests assert on these texts and {@code docs/DATA_FORMAT.md} lists them, so change all three
 * together. Keeping them here (instead of at each throw site) is what keeps the wording consistent across
 * the IDX reader, the loaders, the generators and the reader-side validation.
 */
public final class DataErrors {

  private DataErrors() {}

  /**
   * One offending row, as shown on a message's {@code where:} line.
   *
   * @param rowNumber 1-based position of the row in scan order (the order Spark returns the rows)
   * @param rowId the row's {@code row_id}, or {@code null} when it has none (or it is itself null)
   * @param detail what is wrong in that row, with the value, e.g. {@code features[3] = NaN}
   */
  public record Example(long rowNumber, Long rowId, String detail) {
    @Override
    public String toString() {
      String id = rowId == null ? "row_id null" : "row_id " + rowId;
      return id + " (row #" + rowNumber + " in scan order): " + detail;
    }
  }

  private static LatherDataException error(Kind kind, String problem, Object where, String cause,
      String fix) {
    return error(kind, problem, where, cause, fix, null);
  }

  private static LatherDataException error(Kind kind, String problem, Object where, String cause,
      String fix, Throwable source) {
    StringBuilder sb = new StringBuilder(problem);
    if (where != null) {
      sb.append("\n  where: ").append(where);
    }
    sb.append("\n  cause: ").append(cause);
    sb.append("\n  fix:   ").append(fix);
    return new LatherDataException(kind, sb.toString(), source);
  }

  private static String q(String s) {
    return "'" + s + "'";
  }

  // ---------------------------------------------------------------- schema (Lather table and sources)

  /**
   * A Lather table lacks one of the required columns.
   *
   * @param table the table (or, for loaders, the target table) named in the message
   * @param column the column
   * @param present the columns the input or table has
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException missingLatherColumn(String table, String column,
      Collection<String> present) {
    return error(Kind.MISSING_COLUMN,
        "Table " + q(table) + " has no column " + q(column) + " (columns present: " + present + ").",
        null,
        "every Lather training table must have row_id BIGINT, split STRING, label DOUBLE and "
            + "features ARRAY<FLOAT> (see docs/DATA_FORMAT.md).",
        "write the table with one of the io.lather.datasets loaders (or DatasetsCli), which produce "
            + "the Lather schema, or rename/add the column.");
  }

  /**
   * A Lather table column has the wrong type.
   *
   * @param table the table (or, for loaders, the target table) named in the message
   * @param column the column
   * @param actual the column's type, in SQL notation
   * @param expected what was expected
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException wrongLatherType(String table, String column, String actual,
      String expected) {
    return error(Kind.WRONG_TYPE,
        "Table " + q(table) + ": column " + q(column) + " has type " + actual + "; it must be "
            + expected + ".",
        null,
        "the trainer reads the Lather schema strictly (see docs/DATA_FORMAT.md) so that every table "
            + "is read the same way.",
        "cast the column to " + expected + " before writing, or load the source with an "
            + "io.lather.datasets loader, which converts types for you.");
  }

  /**
   * A column named in a source mapping does not exist in the input.
   *
   * @param table the table (or, for loaders, the target table) named in the message
   * @param role what the column is used as: feature, label, split, target or row id
   * @param column the column
   * @param present the columns the input or table has
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException missingSourceColumn(String table, String role, String column,
      Collection<String> present) {
    return error(Kind.MISSING_COLUMN,
        "Input for table " + q(table) + " has no " + role + " column " + q(column)
            + " (columns present: " + present + ").",
        null,
        "the " + role + " column was named in the loader options but the input does not have it "
            + "(column names are case-sensitive).",
        "pass one of the columns present as the " + role + " column, or fix the input's header.");
  }

  /**
   * A column named in a source mapping has a type the loader cannot convert.
   *
   * @param table the table (or, for loaders, the target table) named in the message
   * @param role what the column is used as: feature, label, split, target or row id
   * @param column the column
   * @param actual the column's type, in SQL notation
   * @param accepted the accepted types, in words
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException wrongSourceType(String table, String role, String column,
      String actual, String accepted) {
    return error(Kind.WRONG_TYPE,
        "Input for table " + q(table) + ": " + role + " column " + q(column) + " has type " + actual
            + ", which cannot be used as " + role + ".",
        null,
        "accepted types for " + role + " columns: " + accepted + ".",
        role.equals("label")
            ? "for text class labels use label indexing (LabelSpec.indexed(), CLI --index-labels); "
                + "otherwise convert the column to a number first."
            : "convert the column to one of the accepted types before loading, or choose other "
                + "columns.");
  }

  /**
   * A feature selection by prefix, range or list matched nothing usable.
   *
   * @param table the table (or, for loaders, the target table) named in the message
   * @param selection the feature selection, as described by FeatureSpec.describe()
   * @param problem what is wrong with it
   * @param present the columns the input or table has
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException badFeatureSelection(String table, String selection,
      String problem, Collection<String> present) {
    return error(Kind.BAD_FEATURE_SELECTION,
        "Input for table " + q(table) + ": feature selection " + selection + " " + problem + ".",
        null,
        "the features are taken from the input's columns in header order; columns present: "
            + present + ".",
        "name the feature columns explicitly, or use a prefix/range that matches the header.");
  }

  // ---------------------------------------------------------------- data

  /**
   * A required value is null.
   *
   * @param table the table (or, for loaders, the target table) named in the message
   * @param column the column
   * @param example the first offending row
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException nullValue(String table, String column, Example example) {
    return error(Kind.NULL_VALUE,
        "Table " + q(table) + ": column " + q(column) + " has a null value.",
        example,
        "Lather columns are NOT NULL: every row needs a row_id, a split, a label and a full feature "
            + "vector. In text input an empty cell or a value that is not a number reads as null.",
        "drop or repair the rows with missing values (e.g. impute features, drop unlabeled rows) "
            + "and load again.");
  }

  /**
   * A feature or target value is NaN or infinite.
   *
   * @param table the table (or, for loaders, the target table) named in the message
   * @param column the column
   * @param example the first offending row
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException nonFiniteFeature(String table, String column,
      Example example) {
    return error(Kind.NON_FINITE_FEATURE,
        "Table " + q(table) + ": column " + q(column) + " has a NaN or infinite value.",
        example,
        "a single NaN/Inf input makes the loss, the gradients and the optimizer's statistics NaN. "
            + "Values beyond the float range (|x| > 3.4e38) also become Infinity when stored as "
            + "FLOAT.",
        "clean the input (drop the rows, impute the values, or rescale) and load again.");
  }

  /**
   * A label is NaN or infinite.
   *
   * @param table the table (or, for loaders, the target table) named in the message
   * @param example the first offending row
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException nonFiniteLabel(String table, Example example) {
    return error(Kind.NON_FINITE_LABEL,
        "Table " + q(table) + ": column 'label' has a NaN or infinite value.",
        example,
        "a NaN/Inf label makes the loss NaN.",
        "drop or repair the rows with invalid labels and load again.");
  }

  /**
   * A classification label is negative.
   *
   * @param table the table (or, for loaders, the target table) named in the message
   * @param example the first offending row
   * @param numClasses K, or 0 when unknown
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException labelNegative(String table, Example example, int numClasses) {
    return error(Kind.LABEL_OUT_OF_RANGE,
        "Table " + q(table) + ": column 'label' has a negative class index.",
        example,
        "classification labels must be class indices 0.." + range(numClasses)
            + "; input labels such as -1/+1 or 1..K are not indices.",
        "load with label indexing (LabelSpec.indexed(), CLI --index-labels), which maps the "
            + "distinct label values in sorted order to 0..K-1 and records the mapping, or load as "
            + "regression.");
  }

  /**
   * A classification label is not an integer.
   *
   * @param table the table (or, for loaders, the target table) named in the message
   * @param example the first offending row
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException labelNotIntegral(String table, Example example) {
    return error(Kind.LABEL_OUT_OF_RANGE,
        "Table " + q(table) + ": column 'label' has a non-integral value in a classification table.",
        example,
        "classification labels are class indices 0..K-1 and must be whole numbers.",
        "load as regression (LabelSpec.regression(), CLI --task regression) if the label is a "
            + "continuous target, or use label indexing (LabelSpec.indexed(), CLI --index-labels) "
            + "to map the distinct values to classes.");
  }

  /**
   * A classification label is not below the number of classes.
   *
   * @param table the table (or, for loaders, the target table) named in the message
   * @param example the first offending row
   * @param numClasses K, or 0 when unknown
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException labelTooLarge(String table, Example example, int numClasses) {
    return error(Kind.LABEL_OUT_OF_RANGE,
        "Table " + q(table) + ": column 'label' has a class index >= num_classes = " + numClasses
            + ".",
        example,
        "classification labels must be class indices 0.." + range(numClasses) + ".",
        "pass the right number of classes (LabelSpec.classes(K), CLI --num-classes K), let the "
            + "loader infer it (LabelSpec.classes()), or use label indexing "
            + "(LabelSpec.indexed(), CLI --index-labels) for labels such as 1..K.");
  }

  private static String range(int numClasses) {
    return numClasses > 0 ? String.valueOf(numClasses - 1) : "K-1";
  }

  /**
   * Arrays in one column do not all have the same length.
   *
   * @param table the table (or, for loaders, the target table) named in the message
   * @param column the column
   * @param first the first row, whose length is the reference
   * @param other the first row with a different length
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException ragged(String table, String column, Example first,
      Example other) {
    return error(Kind.RAGGED_FEATURES,
        "Table " + q(table) + ": column " + q(column) + " has arrays of different lengths.",
        first + "; but " + other,
        "the trainer packs rows into a dense matrix, so every row must have the same number of "
            + "values. Sparse input with no explicit size (e.g. LibSVM vectors) also gives "
            + "different lengths.",
        "pad or truncate the arrays to one length, or for sparse input give the number of "
            + "features explicitly (LibSVM numFeatures, CLI --num-features).");
  }

  /**
   * Arrays in one column have a length other than the declared one.
   *
   * @param table the table (or, for loaders, the target table) named in the message
   * @param column the column
   * @param expected the declared feature count
   * @param example the first offending row
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException featureCountMismatch(String table, String column,
      int expected, Example example) {
    return error(Kind.FEATURE_COUNT_MISMATCH,
        "Table " + q(table) + ": column " + q(column) + " has arrays of a different length than "
            + "the declared " + expected + ".",
        example,
        "the table property lather.num_features (or the loader's numFeatures option) says "
            + expected + " values per row.",
        "rewrite the table with a loader (it sets lather.num_features from the data), or fix the "
            + "numFeatures option.");
  }

  /**
   * A features array is empty.
   *
   * @param table the table (or, for loaders, the target table) named in the message
   * @param example the first offending row
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException emptyFeatureArray(String table, Example example) {
    return error(Kind.FEATURE_COUNT_MISMATCH,
        "Table " + q(table) + ": column 'features' has an empty array.",
        example,
        "every row needs at least one feature (lather.num_features > 0).",
        "drop the rows without features, or check the feature selection of the loader.");
  }

  /**
   * Adds the first lines of further problems found in the same pass to {@code primary}.
   *
   * @param primary the problem reported in full
   * @param others first lines of the other problems, separated by "; "
   * @return an exception of the same kind with an {@code also:} line
   */
  public static LatherDataException withOtherProblems(LatherDataException primary, String others) {
    return new LatherDataException(primary.kind(),
        primary.getMessage() + "\n  also:  " + others, primary.getCause());
  }

  /**
   * The table or input has no rows.
   *
   * @param table the table (or, for loaders, the target table) named in the message
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException emptyTable(String table) {
    return error(Kind.EMPTY_TABLE,
        "Table " + q(table) + " has no rows.",
        null,
        "an empty input (or a filter/limit that removed every row) leaves nothing to train or "
            + "evaluate on.",
        "check the input path and the loader options (row limit, split column) and load again.");
  }

  /**
   * A split value is the empty string.
   *
   * @param table the table (or, for loaders, the target table) named in the message
   * @param example the first offending row
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException emptySplitName(String table, Example example) {
    return error(Kind.EMPTY_SPLIT_NAME,
        "Table " + q(table) + ": column 'split' has an empty split name.",
        example,
        "the split name selects the rows the trainer uses (train, test, ...); an empty name "
            + "selects nothing.",
        "fill the split column (e.g. train/test) or load with a fixed split name.");
  }

  /**
   * The table holds fewer or more rows than its properties record.
   *
   * @param table the table (or, for loaders, the target table) named in the message
   * @param expected lather.num_rows
   * @param actual the rows counted
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException rowCountMismatch(String table, long expected, long actual) {
    return error(Kind.ROW_COUNT_MISMATCH,
        "Table " + q(table) + " has " + actual + " rows but its property lather.num_rows says "
            + expected + ".",
        null,
        "the table was modified after it was written (rows appended or deleted outside the "
            + "loaders).",
        "rewrite the table with its loader and overwrite (CLI --overwrite).");
  }

  // ---------------------------------------------------------------- tables and properties

  /**
   * No Delta table at a path.
   *
   * @param path the table location
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException tableNotFound(String path) {
    return error(Kind.TABLE_NOT_FOUND,
        "No Delta table at " + path + ".",
        null,
        "the path does not exist or has no _delta_log directory.",
        "check the path, or create the table first (e.g. DatasetsCli fashion-mnist --out DIR).");
  }

  /**
   * A Delta table that lacks the Lather properties.
   *
   * @param path the table location
   * @param missingKey the missing property key
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException notLatherTable(String path, String missingKey) {
    return error(Kind.NOT_A_LATHER_TABLE,
        "The Delta table at " + path + " is not a Lather training table: table property "
            + missingKey + " is missing.",
        null,
        "Lather tables carry lather.schema.version, lather.num_features, lather.num_classes, "
            + "lather.num_rows and lather.source (see docs/DATA_FORMAT.md); this table was "
            + "written some other way.",
        "load the data with an io.lather.datasets loader (or DatasetsCli parquet/delta), which "
            + "converts it and writes the properties.");
  }

  /**
   * The table's schema version is not understood.
   *
   * @param path the table location
   * @param version the stored version text
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException unsupportedSchemaVersion(String path, String version) {
    return error(Kind.UNSUPPORTED_SCHEMA_VERSION,
        "The Delta table at " + path + " has lather.schema.version = " + version
            + "; this reader understands version " + LatherTableProperties.CURRENT_SCHEMA_VERSION
            + ".",
        null,
        "the table was written by a newer (or unknown) version of Lather.",
        "upgrade Lather, or rewrite the table with this version's loaders.");
  }

  /**
   * A Lather property cannot be parsed.
   *
   * @param path the table location
   * @param key the property key
   * @param value the stored value
   * @param expected what a valid value looks like
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException badProperty(String path, String key, String value,
      String expected) {
    return error(Kind.BAD_PROPERTY,
        "The Delta table at " + path + " has " + key + " = '" + value + "'; expected "
            + expected + ".",
        null,
        "the property was edited by hand or written by a different tool.",
        "rewrite the table with its loader and overwrite (CLI --overwrite), or set the property "
            + "to a valid value with ALTER TABLE ... SET TBLPROPERTIES.");
  }

  /**
   * The target table exists with different content and overwrite is off.
   *
   * @param path the table location
   * @param existingSource lather.source of the existing table
   * @param existingRows lather.num_rows of the existing table
   * @param newSource lather.source of the requested table
   * @param newRows row count of the requested table
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException tableExists(String path, String existingSource,
      String existingRows, String newSource, long newRows) {
    return error(Kind.TABLE_EXISTS,
        "A different table already exists at " + path + ".",
        "existing: source '" + existingSource + "', " + existingRows + " rows; requested: source '"
            + newSource + "', " + newRows + " rows",
        "loaders never replace a table with different content unless asked, so that a run "
            + "cannot silently change the data another run trained on.",
        "write to another path, or pass overwrite (CLI --overwrite) to replace it (the old "
            + "version stays readable through Delta time travel until vacuumed).");
  }

  /**
   * The target path exists and holds something other than a Delta table.
   *
   * @param path the table location
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException pathNotEmpty(String path) {
    return error(Kind.PATH_NOT_EMPTY,
        "The target path " + path + " exists, is not empty and is not a Delta table.",
        null,
        "a Lather table is written as a Delta table into its own directory.",
        "choose a new or empty directory, or remove the existing files.");
  }

  /**
   * An input path does not exist.
   *
   * @param table the table (or, for loaders, the target table) named in the message
   * @param format the input format (CSV, Parquet, ...)
   * @param path the table location
   * @param source the underlying exception, or null
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException inputNotFound(String table, String format, String path,
      Throwable source) {
    return error(Kind.INPUT_NOT_FOUND,
        "Input for table " + q(table) + " not found: no " + format + " data at " + path + ".",
        null,
        "the path does not exist or cannot be read.",
        "check the path (relative paths are resolved against the working directory).",
        source);
  }

  // ---------------------------------------------------------------- Fashion-MNIST and IDX

  /**
   * The Fashion-MNIST Debian package is not installed.
   *
   * @param directory the directory looked in
   * @param missing the file names not found there
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException fashionMnistMissing(Path directory, List<String> missing) {
    return error(Kind.DATASET_NOT_INSTALLED,
        "Fashion-MNIST files not found in " + directory + " (missing: " + missing + ").",
        null,
        "the Debian package dataset-fashion-mnist is not installed, or the directory given "
            + "instead of its default " + "/usr/share/datasets/fashion-mnist does not hold the "
            + "four .gz files.",
        "install the package: sudo apt-get install dataset-fashion-mnist (or apt-get install "
            + "dataset-fashion-mnist as root); or point the loader at the directory that holds "
            + "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz "
            + "and t10k-labels-idx1-ubyte.gz.");
  }

  /**
   * An IDX file starts with the wrong magic number.
   *
   * @param file the IDX file
   * @param expected the magic number expected
   * @param found the magic number read
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException idxBadMagic(Path file, int expected, int found) {
    return error(Kind.IDX_BAD_MAGIC,
        "IDX file " + file + " has magic number " + hex(found) + "; expected " + hex(expected)
            + (expected == 0x803 ? " (unsigned-byte images, 3 dimensions)"
                : " (unsigned-byte labels, 1 dimension)") + ".",
        null,
        "the file is not an IDX file of that kind: a labels file given as images (or the "
            + "reverse), a different file, or a corrupted download.",
        "pass the matching *-images-idx3-ubyte(.gz) / *-labels-idx1-ubyte(.gz) file; reinstall "
            + "the dataset package if the file is corrupted.");
  }

  /**
   * An IDX file ends early.
   *
   * @param file the IDX file
   * @param expected what the header announces, in words
   * @param found bytes of data read before the end
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException idxTruncated(Path file, String expected, long found) {
    return error(Kind.IDX_TRUNCATED,
        "IDX file " + file + " is truncated: the header announces " + expected + ", but the file "
            + "ends after " + found + " bytes of data.",
        null,
        "the file was cut short (interrupted download or copy, full disk).",
        "reinstall or re-download the file (for Fashion-MNIST: sudo apt-get install --reinstall "
            + "dataset-fashion-mnist).");
  }

  /**
   * An images file and a labels file disagree on the example count.
   *
   * @param images the images file
   * @param imageCount the images file's example count
   * @param labels the labels file
   * @param labelCount the labels file's example count
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException idxCountMismatch(Path images, long imageCount, Path labels,
      long labelCount) {
    return error(Kind.IDX_COUNT_MISMATCH,
        "IDX files disagree: " + images + " holds " + imageCount + " images but " + labels
            + " holds " + labelCount + " labels.",
        null,
        "the images and labels files come from different datasets or splits (e.g. train images "
            + "with t10k labels).",
        "pair each images file with the labels file of the same split.");
  }

  /**
   * An IDX file cannot be read at all.
   *
   * @param file the IDX file
   * @param source the underlying exception, or null
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException idxUnreadable(Path file, Throwable source) {
    return error(Kind.IDX_UNREADABLE,
        "IDX file " + file + " cannot be read: " + source.getMessage() + ".",
        null,
        "the file is missing, not readable, or its gzip stream is corrupt.",
        "check the path and permissions; reinstall or re-download the file.",
        source);
  }

  private static String hex(int v) {
    return String.format("0x%08X", v);
  }

  // ---------------------------------------------------------------- labels and settings

  /**
   * Label indexing found too many distinct values.
   *
   * @param table the table (or, for loaders, the target table) named in the message
   * @param column the column
   * @param found distinct values seen before stopping
   * @param limit the largest number of classes accepted
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException tooManyClasses(String table, String column, long found,
      int limit) {
    return error(Kind.TOO_MANY_CLASSES,
        "Input for table " + q(table) + ": label column " + q(column) + " has more than " + limit
            + " distinct values (" + found + " seen) to index as classes.",
        null,
        "label indexing maps every distinct value to a class; this many classes usually means "
            + "the column is a continuous target or an id.",
        "load as regression (LabelSpec.regression(), CLI --task regression) or choose the "
            + "right label column.");
  }

  /**
   * A setting is out of range: names the field, the value and the valid range.
   *
   * @param field the setting's name
   * @param value the value given
   * @param validRange the valid range, in words (e.g. ">= 1")
   * @return the exception, to be thrown by the caller
   */
  public static LatherDataException invalidConfig(String field, Object value, String validRange) {
    return error(Kind.INVALID_CONFIG,
        field + " = " + value + "; must be " + validRange + ".",
        null,
        "the value is outside the range this setting accepts.",
        "pass a value " + validRange + ".");
  }
}
