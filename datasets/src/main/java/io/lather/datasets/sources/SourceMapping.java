package io.lather.datasets.sources;

import io.lather.datasets.DataErrors;
import java.util.Objects;

/**
 * How the columns of an input (CSV, Parquet, Delta, any DataFrame) map to the Lather columns.
 *
 * @param features which columns make the feature vector
 * @param labelColumn the input column holding the label
 * @param labels how the label is interpreted (regression, class indices, indexed values)
 * @param splitColumn input column holding the split name of each row, or {@code null} to use
 *     {@code split} for every row
 * @param split the split name of every row when there is no split column (default {@code train})
 * @param target columns of a multi-output regression target, or {@code null} for none
 * @param rowIdColumn an integral input column to use as {@code row_id}, or {@code null} to number
 *     the rows 0..n-1 in scan order
 */
public record SourceMapping(FeatureSpec features, String labelColumn, LabelSpec labels,
    String splitColumn, String split, FeatureSpec target, String rowIdColumn) {

  /** Checks the required parts. */
  public SourceMapping {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(labelColumn, "labelColumn");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(split, "split");
    if (splitColumn == null && split.isEmpty()) {
      throw DataErrors.invalidConfig("split", "''", "a non-empty split name such as train or test");
    }
  }

  /**
   * @param features feature columns
   * @param labelColumn label column
   * @param labels label interpretation
   * @return a mapping with every row in split {@code train}, no target, row ids by scan order
   */
  public static SourceMapping of(FeatureSpec features, String labelColumn, LabelSpec labels) {
    return new SourceMapping(features, labelColumn, labels, null, "train", null, null);
  }

  /**
   * @param column a string column holding each row's split name
   * @return a copy taking each row's split from {@code column}
   */
  public SourceMapping withSplitColumn(String column) {
    return new SourceMapping(features, labelColumn, labels, column, split, target, rowIdColumn);
  }

  /**
   * @param name the split name, e.g. train or test
   * @return a copy putting every row in split {@code name}
   */
  public SourceMapping withSplit(String name) {
    return new SourceMapping(features, labelColumn, labels, null, name, target, rowIdColumn);
  }

  /**
   * @param targetColumns the columns (or vector/array column) of the target
   * @return a copy with a multi-output regression target
   */
  public SourceMapping withTarget(FeatureSpec targetColumns) {
    return new SourceMapping(features, labelColumn, labels, splitColumn, split, targetColumns,
        rowIdColumn);
  }

  /**
   * @param column an integral column of unique ids
   * @return a copy taking {@code row_id} from {@code column}
   */
  public SourceMapping withRowIdColumn(String column) {
    return new SourceMapping(features, labelColumn, labels, splitColumn, split, target, column);
  }

  /** @return a description of every option, for {@code lather.source} */
  public String describe() {
    return "features " + features.describe() + ", label '" + labelColumn + "' ("
        + labels.describe() + ")"
        + (splitColumn != null ? ", split column '" + splitColumn + "'" : ", split " + split)
        + (target != null ? ", target " + target.describe() : "")
        + (rowIdColumn != null ? ", row_id column '" + rowIdColumn + "'" : "");
  }
}
