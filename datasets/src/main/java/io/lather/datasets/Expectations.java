package io.lather.datasets;

import java.io.Serializable;
import java.util.List;

/**
 * What a validation pass checks beyond the schema, i.e. the facts known about a table before reading
 * its rows.
 *
 * @param classification true when labels are class indices (non-negative integers); false for
 *     regression or when unknown (labels are then only required to be finite)
 * @param numClasses for classification: labels must be below this; 0 = not known (not checked)
 * @param numFeatures every {@code features} array must have this length; 0 = not known (all rows
 *     must still agree)
 * @param numRows the table must have this many rows; -1 = not known
 * @param featureNames source column of each feature index, used only to make error messages point at
 *     the input column; empty when features did not come from named columns
 */
public record Expectations(boolean classification, int numClasses, int numFeatures, long numRows,
    List<String> featureNames) implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Copies {@code featureNames}. */
  public Expectations {
    featureNames = List.copyOf(featureNames);
  }

  /** @return no facts known: the structural checks only, labels must be finite */
  public static Expectations none() {
    return new Expectations(false, 0, 0, -1, List.of());
  }

  /**
   * @param properties a table's stored properties
   * @return the checks those properties imply (classes, feature count, row count)
   */
  public static Expectations of(LatherTableProperties properties) {
    return new Expectations(properties.isClassification(), properties.numClasses(),
        properties.numFeatures(), properties.numRows(), List.of());
  }

  /**
   * @param numClasses the number of classes K, or 0 to require only non-negative integral labels
   * @return classification checks
   */
  public static Expectations classification(int numClasses) {
    return new Expectations(true, numClasses, 0, -1, List.of());
  }

  /** @return regression checks (finite labels) */
  public static Expectations regression() {
    return none();
  }

  /**
   * @param n the required feature count
   * @return a copy requiring that feature count
   */
  public Expectations withNumFeatures(int n) {
    return new Expectations(classification, numClasses, n, numRows, featureNames);
  }

  /**
   * @param names source column of each feature index
   * @return a copy that names source columns in error messages
   */
  public Expectations withFeatureNames(List<String> names) {
    return new Expectations(classification, numClasses, numFeatures, numRows, names);
  }
}
