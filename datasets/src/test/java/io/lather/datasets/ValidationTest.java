package io.lather.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lather.datasets.LatherDataException.Kind;
import io.lather.datasets.sources.FeatureSpec;
import io.lather.datasets.sources.LabelSpec;
import io.lather.datasets.sources.Loaders;
import io.lather.datasets.sources.SourceMapping;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

/**
 * Every validation failure: the exception's kind and text (table, column, problem, example row, fix),
 * and that a rejected load leaves no Delta table behind.
 */
class ValidationTest {

  private static SparkSession spark;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    spark = TestSpark.get();
  }

  private static final StructType NUMERIC = new StructType()
      .add("a", DataTypes.DoubleType)
      .add("b", DataTypes.DoubleType)
      .add("y", DataTypes.DoubleType);

  private static Dataset<Row> frame(StructType schema, Row... rows) {
    return spark.createDataFrame(Arrays.asList(rows), schema).coalesce(1);
  }

  /** Runs a load that must be rejected; checks nothing was written; returns the message. */
  private String rejected(Kind kind, Path out, Executable load) {
    LatherDataException e = assertThrows(LatherDataException.class, load);
    assertEquals(kind, e.kind(), e.getMessage());
    assertFalse(Files.exists(out.resolve("_delta_log")), "a rejected load wrote " + out);
    assertTrue(e.getMessage().contains("\n  fix:   "), e.getMessage());
    return e.getMessage();
  }

  private LatherTableInfo load(Dataset<Row> input, SourceMapping mapping, Path out) {
    return Loaders.dataFrame(spark, input, "test rows", mapping, out.toString(), false);
  }

  private static void contains(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), "expected «" + part + "» in:\n" + message);
    }
  }

  @Test
  void missingColumn() {
    Path out = dir.resolve("t");
    String m = rejected(Kind.MISSING_COLUMN, out, () -> load(frame(NUMERIC, RowFactory.create(
        1.0, 2.0, 0.0)), SourceMapping.of(FeatureSpec.columns("a", "c"), "y",
        LabelSpec.classes()), out));
    contains(m, "Input for table '" + out + "' has no feature column 'c' (columns present: "
        + "[a, b, y]).", "pass one of the columns present as the feature column");

    String label = rejected(Kind.MISSING_COLUMN, out, () -> load(frame(NUMERIC,
        RowFactory.create(1.0, 2.0, 0.0)), SourceMapping.of(FeatureSpec.prefix("a"), "label",
        LabelSpec.classes()), out));
    contains(label, "has no label column 'label'");
  }

  @Test
  void wrongTypes() {
    Path out = dir.resolve("t");
    StructType text = new StructType().add("a", DataTypes.StringType).add("y", DataTypes.StringType);
    String m = rejected(Kind.WRONG_TYPE, out, () -> load(frame(text, RowFactory.create("1", "x")),
        SourceMapping.of(FeatureSpec.columns("a"), "y", LabelSpec.regression()), out));
    contains(m, "feature column 'a' has type STRING, which cannot be used as feature.",
        "accepted types for feature columns: numeric columns");
    String label = rejected(Kind.WRONG_TYPE, out, () -> load(frame(text.add("n",
        DataTypes.DoubleType), RowFactory.create("1", "x", 1.0)),
        SourceMapping.of(FeatureSpec.columns("n"), "y", LabelSpec.classes()), out));
    contains(label, "label column 'y' has type STRING", "use label indexing");
  }

  @Test
  void nanAndInfinityFeaturesNameTheRowAndSourceColumn() {
    Path out = dir.resolve("t");
    SourceMapping mapping = SourceMapping.of(FeatureSpec.columns("a", "b"), "y",
        LabelSpec.regression());
    String nan = rejected(Kind.NON_FINITE_FEATURE, out, () -> load(frame(NUMERIC,
        RowFactory.create(1.0, 2.0, 0.0), RowFactory.create(1.0, Double.NaN, 0.0)), mapping, out));
    contains(nan, "Table '" + out + "': column 'features' has a NaN or infinite value.",
        "where: row_id 1 (row #2 in scan order): features[1] (source column 'b') = NaN",
        "fix:   clean the input");
    String inf = rejected(Kind.NON_FINITE_FEATURE, out, () -> load(frame(NUMERIC,
        RowFactory.create(Double.NEGATIVE_INFINITY, 2.0, 0.0)), mapping, out));
    contains(inf, "row_id 0 (row #1 in scan order): features[0] (source column 'a') = -Infinity");
    // Beyond the float range is Infinity once stored as FLOAT.
    String big = rejected(Kind.NON_FINITE_FEATURE, out, () -> load(frame(NUMERIC,
        RowFactory.create(1.0, 1e300, 0.0)), mapping, out));
    contains(big, "features[1] (source column 'b') = Infinity");
  }

  @Test
  void labelsOutOfRangeForClassification() {
    Path out = dir.resolve("t");
    Dataset<Row> input = frame(NUMERIC, RowFactory.create(1.0, 2.0, 0.0),
        RowFactory.create(1.0, 2.0, 3.0));
    String tooLarge = rejected(Kind.LABEL_OUT_OF_RANGE, out, () -> load(input,
        SourceMapping.of(FeatureSpec.columns("a", "b"), "y", LabelSpec.classes(3)), out));
    contains(tooLarge, "column 'label' has a class index >= num_classes = 3.",
        "where: row_id 1 (row #2 in scan order): label = 3.0", "must be class indices 0..2");
    String negative = rejected(Kind.LABEL_OUT_OF_RANGE, out, () -> load(frame(NUMERIC,
        RowFactory.create(1.0, 2.0, -1.0)),
        SourceMapping.of(FeatureSpec.columns("a", "b"), "y", LabelSpec.classes()), out));
    contains(negative, "has a negative class index", "label = -1.0", "label indexing");
    String fraction = rejected(Kind.LABEL_OUT_OF_RANGE, out, () -> load(frame(NUMERIC,
        RowFactory.create(1.0, 2.0, 1.5)),
        SourceMapping.of(FeatureSpec.columns("a", "b"), "y", LabelSpec.classes()), out));
    contains(fraction, "non-integral value in a classification table", "label = 1.5",
        "load as regression");
    String nan = rejected(Kind.NON_FINITE_LABEL, out, () -> load(frame(NUMERIC,
        RowFactory.create(1.0, 2.0, Double.NaN)),
        SourceMapping.of(FeatureSpec.columns("a", "b"), "y", LabelSpec.regression()), out));
    contains(nan, "column 'label' has a NaN or infinite value.", "label = NaN");
  }

  @Test
  void raggedFeatureArrays() {
    Path out = dir.resolve("t");
    StructType arrays = new StructType()
        .add("x", DataTypes.createArrayType(DataTypes.DoubleType)).add("y", DataTypes.DoubleType);
    String m = rejected(Kind.RAGGED_FEATURES, out, () -> load(frame(arrays,
        RowFactory.create(new double[] {1, 2, 3}, 0.0),
        RowFactory.create(new double[] {1, 2, 3}, 0.0),
        RowFactory.create(new double[] {1, 2}, 0.0)),
        SourceMapping.of(FeatureSpec.column("x"), "y", LabelSpec.regression()), out));
    contains(m, "column 'features' has arrays of different lengths.",
        "where: row_id 0 (row #1 in scan order): features has 3 values; but row_id 2 "
            + "(row #3 in scan order): features has 2 values");
  }

  @Test
  void emptyInput() {
    Path out = dir.resolve("t");
    String m = rejected(Kind.EMPTY_TABLE, out, () -> load(frame(NUMERIC),
        SourceMapping.of(FeatureSpec.columns("a", "b"), "y", LabelSpec.regression()), out));
    contains(m, "Table '" + out + "' has no rows.");
  }

  @Test
  void csvEmptyCellAndTextCellAreNullValuesWithTheirColumn() throws Exception {
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "a,b,y\n1,2,0\n3,,1\n");
    Path out = dir.resolve("t");
    SourceMapping mapping = SourceMapping.of(FeatureSpec.columns("a", "b"), "y",
        LabelSpec.classes());
    String m = rejected(Kind.NULL_VALUE, out, () -> Loaders.csv(spark, csv.toString(),
        Loaders.CsvFormat.standard(), mapping, out.toString(), false));
    contains(m, "column 'features' has a null value.",
        "row_id 1 (row #2 in scan order): features[1] (source column 'b') = null",
        "an empty cell or a value that is not a number reads as null");
    Files.writeString(csv, "a,b,y\n1,abc,0\n");
    String text = rejected(Kind.NULL_VALUE, out, () -> Loaders.csv(spark, csv.toString(),
        Loaders.CsvFormat.standard(), mapping, out.toString(), false));
    contains(text, "features[1] (source column 'b') = null");
    String missing = rejected(Kind.INPUT_NOT_FOUND, out, () -> Loaders.csv(spark,
        dir.resolve("nope.csv").toString(), Loaders.CsvFormat.standard(), mapping,
        out.toString(), false));
    contains(missing, "no CSV data at " + dir.resolve("nope.csv"));
  }

  @Test
  void badFeatureSelections() {
    Path out = dir.resolve("t");
    Dataset<Row> input = frame(NUMERIC, RowFactory.create(1.0, 2.0, 0.0));
    String prefix = rejected(Kind.BAD_FEATURE_SELECTION, out, () -> load(input,
        SourceMapping.of(FeatureSpec.prefix("px"), "y", LabelSpec.regression()), out));
    contains(prefix, "feature selection prefix 'px' matches no column", "[a, b, y]");
    String reversed = rejected(Kind.BAD_FEATURE_SELECTION, out, () -> load(input,
        SourceMapping.of(FeatureSpec.range("b", "a"), "y", LabelSpec.regression()), out));
    contains(reversed, "is reversed ('a' comes before 'b')");
  }

  @Test
  void readerSideValidateChecksSchemaAndData() {
    StructType intLabel = new StructType().add("row_id", DataTypes.LongType)
        .add("split", DataTypes.StringType).add("label", DataTypes.IntegerType)
        .add("features", DataTypes.createArrayType(DataTypes.FloatType));
    LatherDataException wrong = assertThrows(LatherDataException.class,
        () -> LatherTable.validate(frame(intLabel, RowFactory.create(0L, "train", 1,
            new float[] {1f})), "mine"));
    contains(wrong.getMessage(), "Table 'mine': column 'label' has type INT; it must be DOUBLE.");

    LatherDataException missing = assertThrows(LatherDataException.class,
        () -> LatherTable.validate(frame(NUMERIC, RowFactory.create(1.0, 2.0, 0.0)), "mine"));
    contains(missing.getMessage(), "Table 'mine' has no column 'row_id'");

    Dataset<Row> good = spark.createDataFrame(List.of(
        RowFactory.create(0L, "train", 1.0, new float[] {1f, 2f}),
        RowFactory.create(1L, "", 5.0, new float[] {1f, Float.NaN})), LatherTable.SCHEMA);
    LatherDataException both = assertThrows(LatherDataException.class,
        () -> LatherTable.validate(good, "mine", Expectations.classification(3)));
    assertEquals(Kind.EMPTY_SPLIT_NAME, both.kind());
    contains(both.getMessage(), "column 'split' has an empty split name",
        "also:  Table 'mine': column 'features' has a NaN or infinite value.; Table 'mine': "
            + "column 'label' has a class index >= num_classes = 3.");

    ValidationSummary ok = LatherTable.validate(good.limit(1), "mine");
    assertEquals(1, ok.rows());
    assertEquals(2, ok.numFeatures());
  }

  @Test
  void openRejectsTablesThatAreNotLatherOrWereModified() {
    Path plain = dir.resolve("plain");
    frame(NUMERIC, RowFactory.create(1.0, 2.0, 0.0)).write().format("delta").save(plain.toString());
    LatherDataException notLather = assertThrows(LatherDataException.class,
        () -> LatherTable.open(spark, plain.toString()));
    assertEquals(Kind.NOT_A_LATHER_TABLE, notLather.kind());
    contains(notLather.getMessage(), "table property lather.schema.version is missing");

    LatherDataException none = assertThrows(LatherDataException.class,
        () -> LatherTable.open(spark, dir.resolve("nothing").toString()));
    assertEquals(Kind.TABLE_NOT_FOUND, none.kind());

    Path out = dir.resolve("t");
    LatherTableInfo info = load(frame(NUMERIC, RowFactory.create(1.0, 2.0, 0.0)),
        SourceMapping.of(FeatureSpec.columns("a", "b"), "y", LabelSpec.classes(2)), out);
    LatherTable.open(spark, info.path());
    spark.createDataFrame(List.of(RowFactory.create(1L, "train", 1.0, new float[] {3f, 4f})),
        LatherTable.SCHEMA).write().format("delta").mode("append").save(info.path());
    LatherDataException appended = assertThrows(LatherDataException.class,
        () -> LatherTable.open(spark, info.path()));
    assertEquals(Kind.ROW_COUNT_MISMATCH, appended.kind());
    contains(appended.getMessage(), "has 2 rows but its property lather.num_rows says 1.");

    // A non-Delta directory with files is never written into.
    Path junk = dir.resolve("junk");
    assertTrue(junk.toFile().mkdirs());
    String notEmpty = rejected(Kind.PATH_NOT_EMPTY, junk, () -> {
      Files.writeString(junk.resolve("notes.txt"), "not a table");
      load(frame(NUMERIC, RowFactory.create(1.0, 2.0, 0.0)),
          SourceMapping.of(FeatureSpec.columns("a", "b"), "y", LabelSpec.classes(2)), junk);
    });
    contains(notEmpty, "The target path " + junk + " exists, is not empty and is not a Delta "
        + "table.");
  }
}
