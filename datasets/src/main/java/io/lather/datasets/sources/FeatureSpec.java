package io.lather.datasets.sources;

import io.lather.datasets.DataErrors;
import java.util.List;
import java.util.Objects;

/**
 * Which input columns make the feature vector (or the multi-output target).
 *
 * <ul>
 *   <li>{@link #column(String)}: one column holding a whole vector: an MLlib vector
 *       ({@code org.apache.spark.ml.linalg.VectorUDT}, dense or sparse, densified), or an array of
 *       numbers ({@code array<float|double|int|long|...>}); a plain numeric column gives one feature;</li>
 *   <li>{@link #columns(List)}: numeric columns, one feature each, in the order given;</li>
 *   <li>{@link #prefix(String)}: every column whose name starts with the prefix, in input order;</li>
 *   <li>{@link #range(String, String)}: the columns from {@code first} to {@code last} inclusive, in
 *       input (header) order.</li>
 * </ul>
 * Values are converted to FLOAT. For CSV input (text) numbers are parsed, and a cell that is empty or
 * not a number becomes a null value, reported with its row and source column.
 */
public sealed interface FeatureSpec {

  /** @return a short description for {@code lather.source} and error messages */
  String describe();

  /**
   * One vector or array column.
   *
   * @param name the column
   */
  record Column(String name) implements FeatureSpec {
    /** Checks the name. */
    public Column {
      requireName("feature column", name);
    }

    @Override
    public String describe() {
      return "column '" + name + "'";
    }
  }

  /**
   * Named numeric columns.
   *
   * @param names the columns, in feature order
   */
  record Columns(List<String> names) implements FeatureSpec {
    /** Checks and copies the names. */
    public Columns {
      names = List.copyOf(names);
      if (names.isEmpty()) {
        throw DataErrors.invalidConfig("feature columns", names, "a non-empty list of columns");
      }
      names.forEach(n -> requireName("feature column", n));
    }

    @Override
    public String describe() {
      return names.size() <= 6 ? "columns " + names
          : "columns [" + names.get(0) + " ... " + names.get(names.size() - 1) + "] ("
              + names.size() + ")";
    }
  }

  /**
   * Columns by name prefix.
   *
   * @param prefix the prefix
   */
  record Prefix(String prefix) implements FeatureSpec {
    /** Checks the prefix. */
    public Prefix {
      requireName("feature prefix", prefix);
    }

    @Override
    public String describe() {
      return "prefix '" + prefix + "'";
    }
  }

  /**
   * A range of columns in input order.
   *
   * @param first the first column
   * @param last the last column (inclusive)
   */
  record Range(String first, String last) implements FeatureSpec {
    /** Checks the names. */
    public Range {
      requireName("first feature column", first);
      requireName("last feature column", last);
    }

    @Override
    public String describe() {
      return "range '" + first + "'..'" + last + "'";
    }
  }

  /**
   * @param name a vector, array or numeric column
   * @return the spec for one vector/array column
   */
  static FeatureSpec column(String name) {
    return new Column(name);
  }

  /**
   * @param names numeric columns, in feature order
   * @return the spec for named numeric columns
   */
  static FeatureSpec columns(List<String> names) {
    return new Columns(names);
  }

  /**
   * @param names numeric columns, in feature order
   * @return the spec for named numeric columns
   */
  static FeatureSpec columns(String... names) {
    return new Columns(List.of(names));
  }

  /**
   * @param prefix the name prefix
   * @return the spec for the columns whose names start with {@code prefix}, in input order
   */
  static FeatureSpec prefix(String prefix) {
    return new Prefix(prefix);
  }

  /**
   * @param first the first column
   * @param last the last column (inclusive)
   * @return the spec for the columns from {@code first} to {@code last} in input order
   */
  static FeatureSpec range(String first, String last) {
    return new Range(first, last);
  }

  private static void requireName(String what, String name) {
    if (Objects.requireNonNull(name, what).isEmpty()) {
      throw DataErrors.invalidConfig(what, "''", "a non-empty column name");
    }
  }
}
