package io.lather.datasets.internal;

import io.delta.tables.DeltaTable;
import io.lather.datasets.DataErrors;
import io.lather.datasets.LatherTableProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Small helpers over Delta and Hadoop paths shared by the writer and the reader. */
public final class DeltaIo {

  private DeltaIo() {}

  /**
   * Makes a path absolute so that the table's identity does not depend on the working directory.
   * Strings with a URI scheme ({@code file:}, {@code s3a://}, {@code hdfs://}) are kept as given.
   *
   * @param path a local path or a URI
   * @return the qualified location
   */
  public static String qualify(String path) {
    if (path.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*") && !path.matches("^[A-Za-z]:\\\\.*")) {
      return path;
    }
    return Path.of(path).toAbsolutePath().normalize().toString();
  }

  /**
   * @param path a qualified table location
   * @return the SQL identifier {@code delta.`path`}, backticks escaped
   */
  public static String identifier(String path) {
    return "delta.`" + path.replace("`", "``") + "`";
  }

  /**
   * @param spark the session
   * @param path a qualified location
   * @return true when a Delta table exists at {@code path}
   */
  public static boolean exists(SparkSession spark, String path) {
    return DeltaTable.isDeltaTable(spark, path);
  }

  /**
   * @return true when {@code path} exists and holds files but no Delta table (writing there would
   *     mix a table with unrelated files)
   */
  public static boolean isNonEmptyNonDelta(SparkSession spark, String path) {
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(p)) {
        return false;
      }
      FileStatus status = fs.getFileStatus(p);
      if (!status.isDirectory()) {
        return true;
      }
      return fs.listStatus(p).length > 0 && !exists(spark, path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot inspect " + path, e);
    }
  }

  /**
   * Deletes {@code path} recursively unless it holds a Delta table (used to clean up after a failed
   * first write; a failure to delete is ignored because the original error is the one to report).
   *
   * @param spark the session
   * @param path a qualified location
   */
  public static void deleteIfNotDelta(SparkSession spark, String path) {
    try {
      if (!exists(spark, path)) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        p.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(p, true);
      }
    } catch (IOException | RuntimeException ignored) {
      // Best effort: the caller rethrows the write failure.
    }
  }

  /**
   * @param path a Delta table location
   * @return its table properties (all keys, not only {@code lather.*})
   */
  public static Map<String, String> properties(SparkSession spark, String path) {
    Row detail = DeltaTable.forPath(spark, path).detail().select("properties").first();
    Map<String, String> props = detail.getJavaMap(0);
    return new HashMap<>(props);
  }

  /**
   * @param path a Delta table location
   * @return the table's Lather properties
   * @throws io.lather.datasets.LatherDataException TABLE_NOT_FOUND or NOT_A_LATHER_TABLE
   */
  public static LatherTableProperties latherProperties(SparkSession spark, String path) {
    if (!exists(spark, path)) {
      throw DataErrors.tableNotFound(path);
    }
    return LatherTableProperties.fromMap(path, properties(spark, path));
  }

  /**
   * Writes {@code data} as the table at {@code path} with {@code properties} in a single Delta commit
   * (create, or replace when a table is there). One commit is what makes the write atomic: readers
   * see either the previous table or the complete new one with its properties, never a table
   * without them, and a failed job leaves no partial table.
   *
   * <p>Delta stores the columns of a table created this way as nullable (Spark's
   * create-table-as-select drops NOT NULL); the Lather NOT NULL contract is enforced by the
   * validation pass that runs before every write and on read.
   */
  public static void createOrReplace(Dataset<Row> data, String path, Map<String, String> properties) {
    var writer = data.writeTo(identifier(path)).using("delta");
    for (Map.Entry<String, String> e : properties.entrySet()) {
      writer = writer.tableProperty(e.getKey(), e.getValue());
    }
    writer.createOrReplace();
  }

  /**
   * @param spark the session
   * @param path a Delta table location
   * @return the latest version of the table
   */
  public static long latestVersion(SparkSession spark, String path) {
    List<Row> rows = DeltaTable.forPath(spark, path).history(1).select("version").collectAsList();
    return rows.get(0).getLong(0);
  }
}
