package io.lather.datasets.fashionmnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lather.datasets.LatherDataException;
import io.lather.datasets.LatherTable;
import io.lather.datasets.LatherTableInfo;
import io.lather.datasets.LatherTableProperties;
import io.lather.datasets.TestSpark;
import io.lather.datasets.idx.IdxReader;
import io.lather.datasets.internal.DeltaIo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fashion-MNIST from the real Debian files into Delta, on a row limit. */
class FashionMnistTest {

  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.get();
  }

  @Test
  void writesLimitedTrainAndTestTablesWithPropertiesAndPixels(@TempDir Path dir) {
    FashionMnist.Options options = FashionMnist.Options.defaults(dir.toString())
        .withLimits(2000, 500);
    FashionMnist.Tables tables = FashionMnist.load(spark, options);

    assertTrue(tables.train().written());
    assertEquals(dir.resolve("train").toString(), tables.train().path());
    LatherTableProperties train = tables.train().properties();
    assertEquals(2000, train.numRows());
    assertEquals(784, train.numFeatures());
    assertEquals(10, train.numClasses());
    assertEquals(List.of(1, 28, 28), train.imageShape());
    assertEquals(List.of("train"), train.splits());
    assertEquals("Ankle boot", train.labelNames().get(9));
    assertTrue(train.source().contains("first 2000 of 60000"), train.source());
    assertEquals(500, tables.test().properties().numRows());
    assertEquals(List.of("test"), tables.test().properties().splits());

    // The stored properties are the ones returned, and the table passes reader-side validation.
    LatherTable.Opened opened = LatherTable.open(spark, tables.train().path());
    assertEquals(train, opened.properties());
    assertEquals(2000, opened.summary().rows());
    assertEquals(9.0, opened.summary().maxLabel());
    assertEquals("1,28,28", DeltaIo.properties(spark, opened.path()).get("lather.image.shape"));
    assertEquals("1", DeltaIo.properties(spark, opened.path()).get("lather.schema.version"));
    assertEquals(List.of("row_id", "split", "label", "features"),
        List.of(opened.data().schema().fieldNames()));
    assertEquals(LatherTable.SCHEMA.toNullable(), opened.data().schema());

    // Row 0 is the file's first example: label 9 (ankle boot), pixels = byte / 255f.
    var images = IdxReader.readImages(
        FashionMnist.DEFAULT_DIRECTORY.resolve("train-images-idx3-ubyte.gz"), 3);
    List<Row> first = opened.data().orderBy("row_id").limit(3).collectAsList();
    assertEquals(0L, first.get(0).getLong(0));
    assertEquals("train", first.get(0).getString(1));
    assertEquals(9.0, first.get(0).getDouble(2));
    assertEquals(0.0, first.get(1).getDouble(2));
    List<Float> features = first.get(2).getList(3);
    assertEquals(784, features.size());
    for (int p = 0; p < 784; p++) {
      assertEquals(images.pixel(2, p / 28, p % 28) / 255f, features.get(p));
    }
    Row range = opened.data().selectExpr("min(array_min(features))", "max(array_max(features))",
        "count(distinct label)", "min(row_id)", "max(row_id)").first();
    assertEquals(0f, range.getFloat(0));
    assertEquals(1f, range.getFloat(1));
    assertEquals(10L, range.getLong(2));
    assertEquals(0L, range.getLong(3));
    assertEquals(1999L, range.getLong(4));
  }

  @Test
  void secondLoadKeepsTheTableAndOverwriteRewritesIt(@TempDir Path dir) {
    FashionMnist.Options options = FashionMnist.Options.defaults(dir.toString())
        .withLimits(300, 100);
    LatherTableInfo first = FashionMnist.loadSplit(spark, options, FashionMnist.Split.TEST);
    assertTrue(first.written());

    LatherTableInfo again = FashionMnist.loadSplit(spark, options, FashionMnist.Split.TEST);
    assertFalse(again.written());
    assertEquals(first.path(), again.path());
    assertEquals(first.properties(), again.properties());
    assertEquals(0L, DeltaIo.latestVersion(spark, first.path()));

    LatherTableInfo rewritten = FashionMnist.loadSplit(spark, options.withOverwrite(true),
        FashionMnist.Split.TEST);
    assertTrue(rewritten.written());
    assertEquals(1L, DeltaIo.latestVersion(spark, first.path()));

    // A different limit is different content: refused without overwrite, naming both sources.
    LatherDataException e = assertThrows(LatherDataException.class,
        () -> FashionMnist.loadSplit(spark, options.withLimits(300, 50), FashionMnist.Split.TEST));
    assertEquals(LatherDataException.Kind.TABLE_EXISTS, e.kind());
    assertTrue(e.getMessage().startsWith("A different table already exists at " + first.path()),
        e.getMessage());
    assertTrue(e.getMessage().contains("first 100 of 10000"), e.getMessage());
    assertTrue(e.getMessage().contains("first 50 of 10000"), e.getMessage());
    assertTrue(e.getMessage().contains("pass overwrite (CLI --overwrite)"), e.getMessage());
    assertEquals(1L, DeltaIo.latestVersion(spark, first.path()));
  }

  @Test
  void missingPackageErrorNamesDirectoryAndInstallCommand(@TempDir Path dir) throws Exception {
    Path empty = Files.createDirectory(dir.resolve("no-fashion-here"));
    FashionMnist.Options options = FashionMnist.Options.defaults(dir.resolve("out").toString())
        .withSourceDirectory(empty);
    LatherDataException e = assertThrows(LatherDataException.class,
        () -> FashionMnist.load(spark, options));
    assertEquals(LatherDataException.Kind.DATASET_NOT_INSTALLED, e.kind());
    String m = e.getMessage();
    assertTrue(m.startsWith("Fashion-MNIST files not found in " + empty + " (missing: "
        + "[train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, "
        + "t10k-labels-idx1-ubyte.gz])."), m);
    assertTrue(m.contains("the Debian package dataset-fashion-mnist is not installed"), m);
    assertTrue(m.contains("sudo apt-get install dataset-fashion-mnist (or apt-get install "
        + "dataset-fashion-mnist as root)"), m);
    assertFalse(Files.exists(dir.resolve("out")));
  }
}
