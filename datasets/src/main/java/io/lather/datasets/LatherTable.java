package io.lather.datasets;

import io.lather.datasets.internal.DeltaIo;
import io.lather.datasets.internal.RowChecker;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The Lather training-table schema: one layout for every table the trainer reads, and its checks.
 *
 * <pre>
 *   row_id   BIGINT       NOT NULL  stable id of the example, 0..n-1 in source order
 *   split    STRING       NOT NULL  "train", "test", or another split name
 *   label    DOUBLE       NOT NULL  class index 0..K-1 (integral) or the scalar regression target
 *   features ARRAY&lt;FLOAT&gt; NOT NULL  dense feature vector, lather.num_features values on every row
 *   target   ARRAY&lt;FLOAT&gt;           optional multi-output regression target, same length on every row
 * </pre>
 *
 * plus the table properties in {@link LatherTableProperties}. Other columns are allowed and ignored.
 * The full specification, with examples and the list of error messages, is {@code docs/DATA_FORMAT.md}.
 *
 * <p>Two kinds of check: {@link #checkSchema} (columns and types; no data read) and {@link #validate}
 * (schema plus one scan: nulls, NaN/Inf, ragged or mis-sized arrays, label range, empty table). Every
 * loader runs both before it writes anything; the trainer calls {@link #open} (or {@link #validate})
 * before training.
 */
public final class LatherTable {

  private LatherTable() {}

  /** Column name of the example id. */
  public static final String ROW_ID = "row_id";
  /** Column name of the split. */
  public static final String SPLIT = "split";
  /** Column name of the label. */
  public static final String LABEL = "label";
  /** Column name of the feature vector. */
  public static final String FEATURES = "features";
  /** Column name of the optional multi-output target. */
  public static final String TARGET = "target";

  /**
   * Array of floats. Elements are declared nullable because Delta does not enforce NOT NULL inside
   * arrays (it rejects such a schema); non-null elements are checked by {@link #validate}.
   */
  private static final ArrayType FLOAT_ARRAY = DataTypes.createArrayType(DataTypes.FloatType, true);

  /** The contract schema without {@code target}, with the NOT NULL flags of the specification. */
  public static final StructType SCHEMA = new StructType(new StructField[] {
      DataTypes.createStructField(ROW_ID, DataTypes.LongType, false),
      DataTypes.createStructField(SPLIT, DataTypes.StringType, false),
      DataTypes.createStructField(LABEL, DataTypes.DoubleType, false),
      DataTypes.createStructField(FEATURES, FLOAT_ARRAY, false)});

  /** The contract schema with the optional {@code target} column. */
  public static final StructType SCHEMA_WITH_TARGET =
      SCHEMA.add(DataTypes.createStructField(TARGET, FLOAT_ARRAY, true));

  /**
   * The schema loaders build their frames with: {@link #SCHEMA} (or {@link #SCHEMA_WITH_TARGET}) with
   * every column nullable. Spark trusts a non-nullable declaration and may turn a null into garbage
   * (0.0) instead of failing, so frames are built nullable and nulls are caught by {@link #validate}
   * with a message naming the row.
   *
   * @param withTarget whether to include the {@code target} column
   * @return the nullable schema
   */
  public static StructType frameSchema(boolean withTarget) {
    return (withTarget ? SCHEMA_WITH_TARGET : SCHEMA).toNullable();
  }

  /**
   * Checks the columns and types of a Lather table, without reading data. Nullability flags are not
   * compared (Delta stores these columns as nullable; nulls are a data check).
   *
   * @param schema the table's schema
   * @param tableName name used in error messages
   * @return true when the table has the optional {@code target} column
   * @throws LatherDataException MISSING_COLUMN or WRONG_TYPE
   */
  public static boolean checkSchema(StructType schema, String tableName) {
    List<String> names = List.of(schema.fieldNames());
    for (StructField required : SCHEMA.fields()) {
      if (!names.contains(required.name())) {
        throw DataErrors.missingLatherColumn(tableName, required.name(), names);
      }
      checkType(schema.apply(required.name()), required.dataType(), tableName);
    }
    if (names.contains(TARGET)) {
      checkType(schema.apply(TARGET), FLOAT_ARRAY, tableName);
      return true;
    }
    return false;
  }

  private static void checkType(StructField actual, DataType expected, String tableName) {
    DataType t = actual.dataType();
    boolean ok = expected instanceof ArrayType e
        ? t instanceof ArrayType a && a.elementType().equals(e.elementType())
        : t.equals(expected);
    if (!ok) {
      throw DataErrors.wrongLatherType(tableName, actual.name(), t.sql(), expected.sql());
    }
  }

  /**
   * Reader-side validation without stored properties: schema, then one scan checking non-null
   * values, finite features/labels/targets, equal array lengths and a non-empty table. Labels are
   * only required to be finite (whether they are class indices is a property of the table; use
   * {@link #validate(Dataset, String, Expectations)} or {@link #open} to check that too).
   *
   * @param table the rows
   * @param tableName name used in error messages
   * @return what the scan learned (rows, feature count, splits, ...)
   * @throws LatherDataException for the first problem found, with an example row and the fix
   */
  public static ValidationSummary validate(Dataset<Row> table, String tableName) {
    return validate(table, tableName, Expectations.none());
  }

  /**
   * Validation with known facts: as {@link #validate(Dataset, String)}, plus the checks in
   * {@code rules} (class index range, feature count, row count).
   *
   * @param table the rows
   * @param tableName name used in error messages
   * @param rules facts to check, e.g. {@code Expectations.of(properties)}
   * @return what the scan learned
   * @throws LatherDataException for the first problem found
   */
  public static ValidationSummary validate(Dataset<Row> table, String tableName,
      Expectations rules) {
    checkSchema(table.schema(), tableName);
    return RowChecker.run(table, tableName, rules);
  }

  /**
   * The location Lather uses for a table path: a local path made absolute and normalised; a URI with a scheme ({@code
   * s3a://…}, {@code hdfs://…}, {@code file:/…}) kept as given. A table's identity then does not depend on the working
   * directory of whichever JVM opens it, and Delta's table builder, which reads a relative location such as {@code
   * lather-data/metrics} as a table name, always gets a path. Every module names its Delta tables through this.
   *
   * @param path a local path or a URI
   * @return the qualified location
   */
  public static String qualify(String path) {
    return DeltaIo.qualify(path);
  }

  /**
   * Reads a Lather table's properties without reading its data.
   *
   * @param spark a session with Delta enabled
   * @param path the table location
   * @return the parsed properties
   * @throws LatherDataException TABLE_NOT_FOUND, NOT_A_LATHER_TABLE, UNSUPPORTED_SCHEMA_VERSION,
   *     BAD_PROPERTY
   */
  public static LatherTableProperties readProperties(SparkSession spark, String path) {
    return DeltaIo.latherProperties(spark, DeltaIo.qualify(path));
  }

  /**
   * A Lather table opened for training: the data of one Delta version, its properties and the
   * validation summary.
   *
   * @param path the qualified location
   * @param version the Delta version read (record it as data provenance, e.g. in a checkpoint)
   * @param properties the table's properties
   * @param data the rows of {@code version}
   * @param summary the validation summary, or {@code null} when opened without validation
   */
  public record Opened(String path, long version, LatherTableProperties properties,
      Dataset<Row> data, ValidationSummary summary) {}

  /**
   * Opens and validates a Lather table: properties, then the data pinned to the latest Delta version
   * (so that a concurrent rewrite cannot change the rows mid-training), then {@link #validate} against
   * the properties (classes, feature count, row count).
   *
   * @param spark a session with Delta enabled
   * @param path the table location
   * @return the opened table
   * @throws LatherDataException when the table is missing, not a Lather table, or invalid
   */
  public static Opened open(SparkSession spark, String path) {
    return open(spark, path, true);
  }

  /**
   * As {@link #open(SparkSession, String)}, optionally skipping the data scan (the schema is always
   * checked). Skip only for tables this process has just written and validated.
   *
   * @param spark a session with Delta enabled
   * @param path the table location
   * @param validate whether to run the full validation scan
   * @return the opened table
   */
  public static Opened open(SparkSession spark, String path, boolean validate) {
    String qualified = DeltaIo.qualify(path);
    LatherTableProperties props = DeltaIo.latherProperties(spark, qualified);
    long version = DeltaIo.latestVersion(spark, qualified);
    Dataset<Row> data = spark.read().format("delta").option("versionAsOf", version).load(qualified);
    String name = qualified + "@v" + version;
    checkSchema(data.schema(), name);
    ValidationSummary summary = validate
        ? RowChecker.run(data, name, Expectations.of(props))
        : null;
    return new Opened(qualified, version, props, data, summary);
  }
}
