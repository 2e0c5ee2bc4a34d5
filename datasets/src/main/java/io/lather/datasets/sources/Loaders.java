package io.lather.datasets.sources;

import io.lather.datasets.DataErrors;
import io.lather.datasets.LatherTableInfo;
import io.lather.datasets.internal.DeltaIo;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Loaders from common formats into Lather tables: LibSVM, CSV, Parquet, Delta, or any DataFrame.
 *
 * <p>Every loader checks the mapping against the input's schema (missing columns, types), converts
 * the rows, validates them in one scan (nulls, NaN/Inf, array lengths, label range, empty input) and
 * only then writes the table in one Delta commit. Nothing is written when a check fails. When the
 * output table already exists with the same {@code lather.source} and row count it is kept; a
 * different table there is an error unless {@code overwrite}.
 */
public final class Loaders {

  private Loaders() {}

  /**
   * Loads a LibSVM file ({@code label index:value ...}, 1-based indices) with Spark's {@code libsvm}
   * data source; the sparse vectors are densified to {@code array<float>}.
   *
   * @param spark a session with Delta enabled
   * @param input file or directory of LibSVM text
   * @param numFeatures the number of features; 0 = the largest index in the data (an extra scan,
   *     and a test file may then get a different size than its train file: give it explicitly)
   * @param labels label interpretation; LibSVM files often use -1/+1 or 1..K, which need
   *     {@link LabelSpec#indexed()}
   * @param split split name of every row
   * @param output target table location
   * @param overwrite replace a different existing table
   * @return the written or kept table
   */
  public static LatherTableInfo libsvm(SparkSession spark, String input, int numFeatures,
      LabelSpec labels, String split, String output, boolean overwrite) {
    if (numFeatures < 0) {
      throw DataErrors.invalidConfig("numFeatures", numFeatures, ">= 0 (0 = infer)");
    }
    String in = checkInput(spark, input, "LibSVM", output);
    DataFrameReader reader = spark.read().format("libsvm");
    if (numFeatures > 0) {
      reader = reader.option("numFeatures", numFeatures);
    }
    Dataset<Row> raw = reader.load(in);
    SourceMapping mapping = SourceMapping.of(FeatureSpec.column("features"), "label", labels)
        .withSplit(split);
    return SourceConverter.write(spark, raw, false, mapping,
        "libsvm " + in + (numFeatures > 0 ? " (numFeatures " + numFeatures + ")" : ""),
        numFeatures, DeltaIo.qualify(output), overwrite);
  }

  /**
   * CSV options.
   *
   * @param header whether the first line holds the column names (if not, columns are
   *     {@code _c0, _c1, ...})
   * @param delimiter the field separator
   */
  public record CsvFormat(boolean header, String delimiter) {
    /** @return a header line and commas */
    public static CsvFormat standard() {
      return new CsvFormat(true, ",");
    }
  }

  /**
   * Loads CSV text. Cells are parsed as numbers; an empty cell or one that is not a number is
   * reported as a null value with its row and column.
   *
   * @param spark a session with Delta enabled
   * @param input file or directory of CSV files
   * @param format header and delimiter
   * @param mapping which columns are features, label, split
   * @param output target table location
   * @param overwrite replace a different existing table
   * @return the written or kept table
   */
  public static LatherTableInfo csv(SparkSession spark, String input, CsvFormat format,
      SourceMapping mapping, String output, boolean overwrite) {
    String in = checkInput(spark, input, "CSV", output);
    // No schema inference: every column is read as text and parsed by the converter, so a bad cell
    // is reported with its row instead of silently turning the whole column into strings.
    Dataset<Row> raw = spark.read()
        .option("header", format.header())
        .option("delimiter", format.delimiter())
        .option("mode", "PERMISSIVE")
        .csv(in);
    return SourceConverter.write(spark, raw, true, mapping, "csv " + in, 0,
        DeltaIo.qualify(output), overwrite);
  }

  /**
   * Loads Parquet files.
   *
   * @param spark a session with Delta enabled
   * @param input file or directory of Parquet files
   * @param mapping which columns are features, label, split
   * @param output target table location
   * @param overwrite replace a different existing table
   * @return the written or kept table
   */
  public static LatherTableInfo parquet(SparkSession spark, String input, SourceMapping mapping,
      String output, boolean overwrite) {
    String in = checkInput(spark, input, "Parquet", output);
    return SourceConverter.write(spark, spark.read().parquet(in), false, mapping, "parquet " + in,
        0, DeltaIo.qualify(output), overwrite);
  }

  /**
   * Loads the latest version of a Delta table (any schema) into a Lather table.
   *
   * @param spark a session with Delta enabled
   * @param input the source Delta table location
   * @param mapping which columns are features, label, split
   * @param output target table location (must differ from {@code input})
   * @param overwrite replace a different existing table
   * @return the written or kept table
   */
  public static LatherTableInfo delta(SparkSession spark, String input, SourceMapping mapping,
      String output, boolean overwrite) {
    String in = DeltaIo.qualify(input);
    if (!DeltaIo.exists(spark, in)) {
      throw DataErrors.tableNotFound(in);
    }
    long version = DeltaIo.latestVersion(spark, in);
    Dataset<Row> raw = spark.read().format("delta").option("versionAsOf", version).load(in);
    return SourceConverter.write(spark, raw, false, mapping, "delta " + in + "@v" + version, 0,
        DeltaIo.qualify(output), overwrite);
  }

  /**
   * Converts any DataFrame (e.g. the input of a Spark ML {@code Estimator.fit}) into a Lather table.
   *
   * @param spark a session with Delta enabled
   * @param input the rows
   * @param description where the rows came from, for {@code lather.source} (include whatever
   *     identifies the content: the idempotency check compares it)
   * @param mapping which columns are features, label, split
   * @param output target table location
   * @param overwrite replace a different existing table
   * @return the written or kept table
   */
  public static LatherTableInfo dataFrame(SparkSession spark, Dataset<Row> input,
      String description, SourceMapping mapping, String output, boolean overwrite) {
    return SourceConverter.write(spark, input, false, mapping, description, 0,
        DeltaIo.qualify(output), overwrite);
  }

  /** Fails early, with the loader's error, when the input does not exist. */
  private static String checkInput(SparkSession spark, String input, String format,
      String output) {
    String in = DeltaIo.qualify(input);
    try {
      Path p = new Path(in);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      FileStatus[] matches = fs.globStatus(p);
      if (matches == null || matches.length == 0) {
        throw DataErrors.inputNotFound(DeltaIo.qualify(output), format, in, null);
      }
    } catch (IOException e) {
      throw DataErrors.inputNotFound(DeltaIo.qualify(output), format, in,
          new UncheckedIOException(e));
    }
    return in;
  }
}
