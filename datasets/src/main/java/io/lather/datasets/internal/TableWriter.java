package io.lather.datasets.internal;

import io.lather.datasets.DataErrors;
import io.lather.datasets.Expectations;
import io.lather.datasets.LatherDataException;
import io.lather.datasets.LatherTable;
import io.lather.datasets.LatherTableInfo;
import io.lather.datasets.LatherTableProperties;
import io.lather.datasets.ValidationSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Writes a frame in the Lather schema as a Delta table: validate everything first, then one atomic
 * commit with the data and the properties. Shared by every loader and generator.
 *
 * <p>Order of work, and why:
 * <ol>
 *   <li>schema check (no data read);</li>
 *   <li>if a table exists and overwrite is off and the caller knows the row count up front: compare
 *       {@code lather.source} and {@code lather.num_rows} and return the existing table without
 *       reading any input (the fast idempotent path);</li>
 *   <li>persist the frame and validate it in one scan; the frame is persisted so that the write
 *       reuses the validated rows instead of reading (and, for generators, computing) them again;</li>
 *   <li>if a table exists and overwrite is off: same comparison with the counted rows; equal → keep,
 *       different → TABLE_EXISTS error;</li>
 *   <li>one Delta commit creating or replacing the table with its properties.</li>
 * </ol>
 * A validation failure therefore writes nothing, and a write that fails for a new table removes its
 * uncommitted files; replacing an existing table is a single commit, so a failure leaves the previous
 * version in place.
 */
public final class TableWriter {

  private TableWriter() {}

  /** {@link Request#numClasses()} value asking for K = largest label + 1 (or the names' count). */
  public static final int INFER_CLASSES = -1;

  /**
   * What to write and how to describe it.
   *
   * @param tableName name used in error messages
   * @param path qualified target location
   * @param source {@code lather.source}
   * @param numClasses K &gt; 0, 0 for regression, or {@link #INFER_CLASSES}
   * @param numFeatures required feature count, 0 = take it from the data
   * @param expectedRows row count known before reading the input, or -1
   * @param imageShape {@code lather.image.shape}, empty if not images
   * @param labelNames {@code lather.label.names}, may be empty
   * @param featureNames source column per feature index, for error messages; may be empty
   * @param extra further {@code lather.*} properties
   * @param overwrite replace an existing table with different content
   * @param beforeWrite run after validation succeeded and the table is going to be written (e.g. to
   *     write a companion table), or {@code null}
   */
  public record Request(String tableName, String path, String source, int numClasses,
      int numFeatures, long expectedRows, List<Integer> imageShape, List<String> labelNames,
      List<String> featureNames, Map<String, String> extra, boolean overwrite,
      Runnable beforeWrite) {

    /** Null checks and defensive copies. */
    public Request {
      Objects.requireNonNull(tableName, "tableName");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(source, "source");
      imageShape = List.copyOf(imageShape);
      labelNames = List.copyOf(labelNames);
      featureNames = List.copyOf(featureNames);
      extra = Map.copyOf(extra);
    }
  }

  /**
   * Validates {@code frame} and writes it (or keeps an identical existing table).
   *
   * @param spark a session with Delta enabled
   * @param frame rows in the Lather schema
   * @param r the request
   * @return the written or kept table
   * @throws LatherDataException on any validation problem (nothing written), or TABLE_EXISTS /
   *     PATH_NOT_EMPTY
   */
  public static LatherTableInfo write(SparkSession spark, Dataset<Row> frame, Request r) {
    return write(spark, () -> frame, r);
  }

  /**
   * As {@link #write(SparkSession, Dataset, Request)}, building the frame only when it is needed: the
   * idempotent path (an identical table exists, row count known up front) never calls
   * {@code frame}, so it reads no input.
   *
   * @param spark a session with Delta enabled
   * @param frame builds the rows in the Lather schema
   * @param r the request
   * @return the written or kept table
   */
  public static LatherTableInfo write(SparkSession spark, Supplier<Dataset<Row>> frame,
      Request r) {
    boolean exists = DeltaIo.exists(spark, r.path());
    if (!exists && DeltaIo.isNonEmptyNonDelta(spark, r.path())) {
      throw DataErrors.pathNotEmpty(r.path());
    }
    if (exists && !r.overwrite() && r.expectedRows() >= 0) {
      LatherTableInfo kept = keepIfSame(spark, r, r.expectedRows());
      if (kept != null) {
        return kept;
      }
    }
    Dataset<Row> data = frame.get();
    LatherTable.checkSchema(data.schema(), r.tableName());
    boolean classification = r.numClasses() != 0;
    int k = r.numClasses() > 0 ? r.numClasses()
        : (r.numClasses() == INFER_CLASSES && !r.labelNames().isEmpty()
            ? r.labelNames().size() : 0);
    Expectations rules = new Expectations(classification, k, r.numFeatures(), r.expectedRows(),
        r.featureNames());
    Dataset<Row> persisted = data.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      ValidationSummary summary = RowChecker.run(persisted, r.tableName(), rules);
      int numClasses = !classification ? 0 : (k > 0 ? k : (int) summary.maxLabel() + 1);
      LatherTableProperties props = new LatherTableProperties(
          LatherTableProperties.CURRENT_SCHEMA_VERSION, summary.numFeatures(), numClasses,
          summary.rows(), r.source(), r.imageShape(), summary.numTargets(), r.labelNames(),
          new ArrayList<>(summary.splitCounts().keySet()), r.extra());
      if (exists && !r.overwrite()) {
        LatherTableInfo kept = keepIfSame(spark, r, summary.rows());
        if (kept != null) {
          return kept;
        }
      }
      if (r.beforeWrite() != null) {
        r.beforeWrite().run();
      }
      try {
        DeltaIo.createOrReplace(persisted, r.path(), props.toMap());
      } catch (Exception e) { // Delta also throws checked IOExceptions (e.g. DeltaIOException)
        if (!exists) {
          // The directory was absent or empty before (checked above) and no commit landed, so
          // whatever is there now is this job's uncommitted output: remove it so that a retry
          // does not find a non-empty, non-Delta directory.
          DeltaIo.deleteIfNotDelta(spark, r.path());
        }
        throw e;
      }
      return new LatherTableInfo(r.path(), props, true);
    } finally {
      persisted.unpersist(false);
    }
  }

  /**
   * @return the existing table if its source and row count equal the request's, else {@code null}
   *     when overwrite is on
   * @throws LatherDataException TABLE_EXISTS when they differ and overwrite is off
   */
  private static LatherTableInfo keepIfSame(SparkSession spark, Request r, long rows) {
    Map<String, String> raw = DeltaIo.properties(spark, r.path());
    String existingSource = raw.getOrDefault(LatherTableProperties.SOURCE, "(not a Lather table)");
    String existingRows = raw.getOrDefault(LatherTableProperties.NUM_ROWS, "?");
    if (existingSource.equals(r.source()) && existingRows.equals(String.valueOf(rows))) {
      try {
        return new LatherTableInfo(r.path(), LatherTableProperties.fromMap(r.path(), raw), false);
      } catch (LatherDataException unreadable) {
        // Same source text but broken properties: fall through to the "different" error.
      }
    }
    if (r.overwrite()) {
      return null;
    }
    throw DataErrors.tableExists(r.path(), existingSource, existingRows, r.source(), rows);
  }
}
