package io.lather.datasets.sources;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lather.datasets.LatherTable;
import io.lather.datasets.LatherTableInfo;
import io.lather.datasets.LatherTableProperties;
import io.lather.datasets.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LibSVM, CSV, Parquet and Delta inputs written by the tests, loaded into Lather tables. */
class LoadersTest {

  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.get();
  }

  /** Rows of a written Lather table ordered by row_id, after reader-side validation. */
  private static List<Row> rows(LatherTableInfo info) {
    return LatherTable.open(spark, info.path()).data().orderBy("row_id").collectAsList();
  }

  private static float[] floats(Row row, String column) {
    List<Float> list = row.getList(row.fieldIndex(column));
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }

  @Test
  void libsvmSparseRowsBecomeDenseArraysAndPlusMinusOneLabelsAreIndexed(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("a.libsvm");
    Files.writeString(file, "-1 1:0.5 3:2.0\n+1 2:1.5\n-1 1:1 2:1 3:1 4:1\n+1 4:-3.25\n");

    LatherTableInfo info = Loaders.libsvm(spark, file.toString(), 5, LabelSpec.indexed(), "train",
        dir.resolve("t").toString(), false);

    LatherTableProperties p = info.properties();
    assertEquals(5, p.numFeatures());
    assertEquals(2, p.numClasses());
    assertEquals(List.of("-1", "1"), p.labelNames());
    assertEquals(4, p.numRows());
    assertTrue(p.source().startsWith("libsvm " + file + " (numFeatures 5)"), p.source());
    List<Row> rows = rows(info);
    assertArrayEquals(new float[] {0.5f, 0f, 2f, 0f, 0f}, floats(rows.get(0), "features"));
    assertArrayEquals(new float[] {0f, 0f, 0f, -3.25f, 0f}, floats(rows.get(3), "features"));
    assertEquals(0.0, rows.get(0).getDouble(rows.get(0).fieldIndex("label")));
    assertEquals(1.0, rows.get(1).getDouble(rows.get(1).fieldIndex("label")));
    assertEquals(3L, rows.get(3).getLong(0));

    // Without numFeatures the size is the largest index, and labels may be regression targets.
    LatherTableInfo inferred = Loaders.libsvm(spark, file.toString(), 0, LabelSpec.regression(),
        "test", dir.resolve("t2").toString(), false);
    assertEquals(4, inferred.properties().numFeatures());
    assertEquals(0, inferred.properties().numClasses());
    assertEquals(List.of("test"), inferred.properties().splits());
  }

  @Test
  void csvWithPrefixRangeNamedColumnsTextLabelsAndSplitColumn(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("a.csv");
    Files.writeString(file, "id,px0,px1,px2,kind,set\n"
        + "7,0.1,0.2,0.3,dog,train\n"
        + "8,1,2,3,cat,test\n"
        + "9,4,5,6e1,dog,train\n");
    SourceMapping byPrefix = SourceMapping.of(FeatureSpec.prefix("px"), "kind",
        LabelSpec.indexed()).withSplitColumn("set");
    LatherTableInfo info = Loaders.csv(spark, file.toString(), Loaders.CsvFormat.standard(),
        byPrefix, dir.resolve("t").toString(), false);

    LatherTableProperties p = info.properties();
    assertEquals(3, p.numFeatures());
    assertEquals(List.of("cat", "dog"), p.labelNames());
    assertEquals(List.of("test", "train"), p.splits());
    List<Row> rows = rows(info);
    assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f}, floats(rows.get(0), "features"));
    assertArrayEquals(new float[] {4f, 5f, 60f}, floats(rows.get(2), "features"));
    assertEquals(List.of(1.0, 0.0, 1.0),
        rows.stream().map(r -> r.getDouble(r.fieldIndex("label"))).toList());
    assertEquals(List.of("train", "test", "train"),
        rows.stream().map(r -> r.getString(r.fieldIndex("split"))).toList());

    // A range in header order selects the same columns; named columns keep the order given.
    LatherTableInfo ranged = Loaders.csv(spark, file.toString(), Loaders.CsvFormat.standard(),
        SourceMapping.of(FeatureSpec.range("px0", "px2"), "id", LabelSpec.regression()),
        dir.resolve("r").toString(), false);
    assertArrayEquals(new float[] {1f, 2f, 3f}, floats(rows(ranged).get(1), "features"));
    assertEquals(8.0, rows(ranged).get(1).getDouble(2));
    LatherTableInfo named = Loaders.csv(spark, file.toString(), Loaders.CsvFormat.standard(),
        SourceMapping.of(FeatureSpec.columns("px2", "px0"), "kind", LabelSpec.indexed())
            .withSplit("eval"),
        dir.resolve("n").toString(), false);
    assertArrayEquals(new float[] {3f, 1f}, floats(rows(named).get(1), "features"));
    assertEquals(List.of("eval"), named.properties().splits());
  }

  @Test
  void parquetVectorColumnsDenseAndSparseAndMultiOutputTarget(@TempDir Path dir) {
    StructType schema = new StructType()
        .add("vec", SQLDataTypes.VectorType())
        .add("y", DataTypes.IntegerType)
        .add("t", DataTypes.createArrayType(DataTypes.DoubleType));
    List<Row> input = List.of(
        RowFactory.create(Vectors.dense(1, 2, 3), 2, new double[] {0.5, 1.5}),
        RowFactory.create(Vectors.sparse(3, new int[] {1}, new double[] {7}), 0,
            new double[] {-1, 2}));
    String parquet = dir.resolve("in.parquet").toString();
    spark.createDataFrame(input, schema).coalesce(1).write().parquet(parquet);

    LatherTableInfo cls = Loaders.parquet(spark, parquet,
        SourceMapping.of(FeatureSpec.column("vec"), "y", LabelSpec.classes(3)),
        dir.resolve("c").toString(), false);
    assertEquals(3, cls.properties().numClasses());
    List<Row> rows = rows(cls);
    assertArrayEquals(new float[] {1f, 2f, 3f}, floats(rows.get(0), "features"));
    assertArrayEquals(new float[] {0f, 7f, 0f}, floats(rows.get(1), "features"));

    LatherTableInfo reg = Loaders.parquet(spark, parquet,
        SourceMapping.of(FeatureSpec.column("vec"), "y", LabelSpec.regression())
            .withTarget(FeatureSpec.column("t")),
        dir.resolve("r").toString(), false);
    assertEquals(2, reg.properties().numTargets());
    assertArrayEquals(new float[] {-1f, 2f}, floats(rows(reg).get(1), "target"));
    assertTrue(List.of(LatherTable.open(spark, reg.path()).data().schema().fieldNames())
        .contains("target"));
  }

  @Test
  void deltaSourceWithNumericColumnsArrayColumnAndRowIdColumn(@TempDir Path dir) {
    StructType schema = new StructType()
        .add("key", DataTypes.LongType)
        .add("a", DataTypes.DoubleType)
        .add("b", DataTypes.IntegerType)
        .add("arr", DataTypes.createArrayType(DataTypes.FloatType))
        .add("label", DataTypes.DoubleType);
    List<Row> input = List.of(
        RowFactory.create(100L, 1.5, 2, new float[] {1f, 1f}, 0.25),
        RowFactory.create(200L, -1.0, 3, new float[] {2f, 2f}, 0.75));
    String src = dir.resolve("src").toString();
    spark.createDataFrame(input, schema).write().format("delta").save(src);

    LatherTableInfo info = Loaders.delta(spark, src,
        SourceMapping.of(FeatureSpec.columns("a", "b"), "label", LabelSpec.regression())
            .withRowIdColumn("key"),
        dir.resolve("out").toString(), false);
    List<Row> rows = rows(info);
    assertEquals(100L, rows.get(0).getLong(0));
    assertArrayEquals(new float[] {-1f, 3f}, floats(rows.get(1), "features"));
    assertEquals(0.75, rows.get(1).getDouble(2));
    assertTrue(info.properties().source().contains("@v0"), info.properties().source());

    LatherTableInfo arrays = Loaders.delta(spark, src,
        SourceMapping.of(FeatureSpec.column("arr"), "label", LabelSpec.regression()),
        dir.resolve("out2").toString(), false);
    assertEquals(2, arrays.properties().numFeatures());
    assertFalse(Loaders.delta(spark, src,
        SourceMapping.of(FeatureSpec.column("arr"), "label", LabelSpec.regression()),
        dir.resolve("out2").toString(), false).written());
  }
}
