package io.lather.datasets.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lather.datasets.LatherTable;
import io.lather.datasets.TestSpark;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's failure path: a write that fails after validation leaves no partial table. */
class TableWriterTest {

  @Test
  void failedFirstWriteLeavesNothingBehind(@TempDir Path dir) {
    SparkSession spark = TestSpark.get();
    Dataset<Row> rows = spark.createDataFrame(
        List.of(RowFactory.create(0L, "train", 1.0, new float[] {1f, 2f})),
        LatherTable.frameSchema(false));
    Path out = dir.resolve("t");
    // Sabotage the commit: a plain file where Delta must create the _delta_log directory.
    Runnable sabotage = () -> {
      try {
        Files.createDirectories(out);
        Files.writeString(out.resolve("_delta_log"), "not a directory");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
    TableWriter.Request request = new TableWriter.Request("t", out.toString(), "test", 2, 0, -1,
        List.of(), List.of(), List.of(), Map.of(), false, sabotage);
    Exception e = assertThrows(Exception.class, () -> TableWriter.write(spark, rows, request));
    assertTrue(e.getMessage().contains("DELTA_CANNOT_CREATE_LOG_PATH"), e.getMessage());
    assertFalse(Files.exists(out), "the failed write's files were removed");

    // A retry at the same path then succeeds.
    TableWriter.Request retry = new TableWriter.Request("t", out.toString(), "test", 2, 0, -1,
        List.of(), List.of(), List.of(), Map.of(), false, null);
    assertTrue(TableWriter.write(spark, rows, retry).written());
  }
}
