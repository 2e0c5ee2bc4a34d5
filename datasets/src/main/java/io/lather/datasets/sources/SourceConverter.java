package io.lather.datasets.sources;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.lather.datasets.DataErrors;
import io.lather.datasets.LatherTable;
import io.lather.datasets.LatherTableInfo;
import io.lather.datasets.internal.TableWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * Turns any input DataFrame into a frame in the Lather schema according to a {@link SourceMapping},
 * checking the mapping against the input's schema first (missing columns, wrong types, empty
 * selections), then hands it to the validate-then-commit writer.
 */
final class SourceConverter {

  private SourceConverter() {}

  /** Most classes label indexing accepts; more is almost surely a continuous column or an id. */
  static final int MAX_INDEXED_CLASSES = 10_000;

  private static final String ACCEPTED_FEATURE_TYPES = "numeric columns (tinyint, smallint, int, "
      + "bigint, float, double, decimal), array<numeric>, or an MLlib vector "
      + "(org.apache.spark.ml.linalg.VectorUDT, dense or sparse)";

  /**
   * Converts and writes.
   *
   * @param spark the session
   * @param input the input rows
   * @param text true for text input (CSV): string columns are parsed as numbers
   * @param mapping the column mapping
   * @param source description of the input for {@code lather.source}
   * @param numFeatures required feature count, 0 = from the data
   * @param output target table location (qualified)
   * @param overwrite replace a different existing table
   * @return the written or kept table
   */
  static LatherTableInfo write(SparkSession spark, Dataset<Row> input, boolean text,
      SourceMapping mapping, String source, int numFeatures, String output, boolean overwrite) {
    String table = output;
    StructType schema = input.schema();
    List<String> present = List.of(schema.fieldNames());

    Resolved features = resolveArray(input, mapping.features(), "feature", text, table);
    Resolved target = mapping.target() == null ? null
        : resolveArray(input, mapping.target(), "target", text, table);

    require(present, mapping.labelColumn(), "label", table);
    DataType labelType = schema.apply(mapping.labelColumn()).dataType();
    Column label;
    List<String> labelNames = List.of();
    int numClasses;
    if (mapping.labels() instanceof LabelSpec.Indexed) {
      Indexing indexing = index(input, mapping.labelColumn(), labelType, text, table);
      label = indexing.expression();
      labelNames = indexing.names();
      numClasses = labelNames.size();
    } else {
      boolean numeric = labelType instanceof NumericType || labelType instanceof BooleanType;
      if (numeric) {
        label = col(mapping.labelColumn()).cast(DataTypes.DoubleType);
      } else if (text && labelType instanceof StringType) {
        label = col(mapping.labelColumn()).try_cast(DataTypes.DoubleType);
      } else {
        throw DataErrors.wrongSourceType(table, "label", mapping.labelColumn(), labelType.sql(),
            "numeric (or boolean) columns; text labels with label indexing");
      }
      numClasses = mapping.labels() instanceof LabelSpec.Classes c
          ? (c.numClasses() > 0 ? c.numClasses() : TableWriter.INFER_CLASSES) : 0;
    }

    Column split;
    if (mapping.splitColumn() != null) {
      require(present, mapping.splitColumn(), "split", table);
      DataType t = schema.apply(mapping.splitColumn()).dataType();
      if (!(t instanceof StringType)) {
        throw DataErrors.wrongSourceType(table, "split", mapping.splitColumn(), t.sql(), "string");
      }
      split = col(mapping.splitColumn());
    } else {
      split = lit(mapping.split());
    }

    List<Column> projected = new ArrayList<>();
    if (mapping.rowIdColumn() != null) {
      require(present, mapping.rowIdColumn(), "row id", table);
      DataType t = schema.apply(mapping.rowIdColumn()).dataType();
      if (!(t.equals(DataTypes.LongType) || t.equals(DataTypes.IntegerType)
          || t.equals(DataTypes.ShortType) || t.equals(DataTypes.ByteType))) {
        throw DataErrors.wrongSourceType(table, "row id", mapping.rowIdColumn(), t.sql(),
            "integral numbers (tinyint, smallint, int, bigint)");
      }
      projected.add(col(mapping.rowIdColumn()).cast(DataTypes.LongType).as(LatherTable.ROW_ID));
    }
    projected.add(split.as(LatherTable.SPLIT));
    projected.add(label.as(LatherTable.LABEL));
    projected.add(features.expression().as(LatherTable.FEATURES));
    if (target != null) {
      projected.add(target.expression().as(LatherTable.TARGET));
    }
    Dataset<Row> frame = input.select(projected.toArray(new Column[0]));
    if (mapping.rowIdColumn() == null) {
      frame = numberRows(spark, frame, target != null);
    }

    TableWriter.Request request = new TableWriter.Request(table, output,
        source + "; " + mapping.describe(), numClasses, numFeatures, -1, List.of(), labelNames,
        features.names(), Map.of(), overwrite, null);
    return TableWriter.write(spark, frame, request);
  }

  /**
   * Adds {@code row_id} = position in scan order. zipWithIndex numbers partition by partition in
   * partition order, which for a file source is the order of the file splits, so ids are 0..n-1
   * in source order for a single input file.
   */
  private static Dataset<Row> numberRows(SparkSession spark, Dataset<Row> frame,
      boolean withTarget) {
    int width = frame.schema().size();
    JavaRDD<Row> numbered = frame.javaRDD().zipWithIndex().map(t -> {
      Object[] values = new Object[width + 1];
      values[0] = t._2();
      for (int i = 0; i < width; i++) {
        values[i + 1] = t._1().get(i);
      }
      return RowFactory.create(values);
    });
    return spark.createDataFrame(numbered, LatherTable.frameSchema(withTarget));
  }

  /** A resolved vector: the array&lt;float&gt; expression and the source column of each entry. */
  private record Resolved(Column expression, List<String> names) {}

  private static Resolved resolveArray(Dataset<Row> input, FeatureSpec spec, String role,
      boolean text, String table) {
    StructType schema = input.schema();
    List<String> present = List.of(schema.fieldNames());
    if (spec instanceof FeatureSpec.Column c) {
      require(present, c.name(), role, table);
      DataType t = schema.apply(c.name()).dataType();
      if (t instanceof VectorUDT) {
        return new Resolved(org.apache.spark.ml.functions.vector_to_array(col(c.name()), "float32"),
            List.of());
      }
      if (t instanceof ArrayType a && a.elementType() instanceof NumericType) {
        return new Resolved(col(c.name()).cast(DataTypes.createArrayType(DataTypes.FloatType)),
            List.of());
      }
      if (t instanceof NumericType || (text && t instanceof StringType)) {
        return new Resolved(functions.array(scalar(c.name(), t)), List.of(c.name()));
      }
      throw DataErrors.wrongSourceType(table, role, c.name(), t.sql(), ACCEPTED_FEATURE_TYPES);
    }
    List<String> names = selectColumns(spec, present, table);
    List<Column> cols = new ArrayList<>(names.size());
    for (String name : names) {
      require(present, name, role, table);
      DataType t = schema.apply(name).dataType();
      if (!(t instanceof NumericType || (text && t instanceof StringType))) {
        throw DataErrors.wrongSourceType(table, role, name, t.sql(), ACCEPTED_FEATURE_TYPES);
      }
      cols.add(scalar(name, t));
    }
    return new Resolved(functions.array(cols.toArray(new Column[0])), names);
  }

  /** Numbers are cast; text is parsed, and a cell that is not a number becomes null (reported). */
  private static Column scalar(String name, DataType t) {
    return t instanceof StringType
        ? col(name).try_cast(DataTypes.FloatType)
        : col(name).cast(DataTypes.FloatType);
  }

  private static List<String> selectColumns(FeatureSpec spec, List<String> present, String table) {
    if (spec instanceof FeatureSpec.Columns c) {
      return c.names();
    }
    if (spec instanceof FeatureSpec.Prefix p) {
      List<String> out = present.stream().filter(n -> n.startsWith(p.prefix())).toList();
      if (out.isEmpty()) {
        throw DataErrors.badFeatureSelection(table, spec.describe(), "matches no column",
            present);
      }
      return out;
    }
    FeatureSpec.Range r = (FeatureSpec.Range) spec;
    int from = present.indexOf(r.first());
    int to = present.indexOf(r.last());
    if (from < 0 || to < 0) {
      throw DataErrors.badFeatureSelection(table, spec.describe(),
          "names a column that does not exist ('" + (from < 0 ? r.first() : r.last()) + "')",
          present);
    }
    if (from > to) {
      throw DataErrors.badFeatureSelection(table, spec.describe(),
          "is reversed ('" + r.last() + "' comes before '" + r.first() + "')", present);
    }
    return present.subList(from, to + 1);
  }

  private static void require(List<String> present, String column, String role, String table) {
    if (!present.contains(column)) {
      throw DataErrors.missingSourceColumn(table, role, column, present);
    }
  }

  /** Label indexing: the mapping expression and the class names (original values). */
  private record Indexing(Column expression, List<String> names) {}

  private static Indexing index(Dataset<Row> input, String column, DataType type, boolean text,
      String table) {
    boolean numeric = type instanceof NumericType || type instanceof BooleanType;
    if (!numeric && !(type instanceof StringType)) {
      throw DataErrors.wrongSourceType(table, "label", column, type.sql(),
          "numbers, booleans or strings");
    }
    Column key = numeric ? col(column).cast(DataTypes.DoubleType) : col(column);
    List<Row> distinct = input.select(key.as("k")).where(col("k").isNotNull()).distinct()
        .limit(MAX_INDEXED_CLASSES + 1).collectAsList();
    if (distinct.size() > MAX_INDEXED_CLASSES) {
      throw DataErrors.tooManyClasses(table, column, distinct.size(), MAX_INDEXED_CLASSES);
    }
    List<Object> keys = new ArrayList<>();
    distinct.forEach(r -> keys.add(r.get(0)));
    if (numeric) {
      keys.sort(Comparator.comparingDouble(k -> (Double) k));
    } else if (keys.stream().allMatch(k -> isNumber((String) k))) {
      // Text that is all numbers ("-1", "1", "10") sorts by value, not as text ("10" < "2").
      keys.sort(Comparator.comparing(k -> new BigDecimal(((String) k).trim())));
    } else {
      keys.sort(Comparator.comparing(k -> (String) k));
    }
    List<Column> entries = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      entries.add(lit(keys.get(i)));
      entries.add(lit((double) i));
      names.add(numeric ? formatNumber((Double) keys.get(i)) : (String) keys.get(i));
    }
    Column map = functions.map(entries.toArray(new Column[0]));
    // try_element_at: a null key gives null (reported by validation) instead of an ANSI error.
    return new Indexing(functions.try_element_at(map, key), names);
  }

  private static boolean isNumber(String s) {
    try {
      new BigDecimal(s.trim());
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String formatNumber(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
  }
}
