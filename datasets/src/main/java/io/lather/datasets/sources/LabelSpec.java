package io.lather.datasets.sources;

import io.lather.datasets.DataErrors;

/**
 * How the input's label column becomes the Lather {@code label}.
 *
 * <ul>
 *   <li>{@link #regression()}: the label is a number, stored as is ({@code lather.num_classes=0});</li>
 *   <li>{@link #classes()}: the label is already a class index 0..K-1 (integral numbers);
 *       K = largest label + 1;</li>
 *   <li>{@link #classes(int)}: as above with K given; a label ≥ K is an error;</li>
 *   <li>{@link #indexed()}: the distinct label values (text or numbers) are sorted (numerically when
 *       they are all numbers, else as text) and mapped to 0..K-1; the original values are recorded in
 *       {@code lather.label.names}, entry k = value of class k. Use it for text labels and for labels
 *       such as -1/+1 or 1..K.</li>
 * </ul>
 */
public sealed interface LabelSpec {

  /** @return a short description for {@code lather.source} */
  String describe();

  /** Regression: labels are real numbers. */
  record Regression() implements LabelSpec {
    @Override
    public String describe() {
      return "regression";
    }
  }

  /**
   * Classification with labels that are already class indices.
   *
   * @param numClasses K, or 0 to infer K as the largest label + 1
   */
  record Classes(int numClasses) implements LabelSpec {
    /** Checks the range. */
    public Classes {
      if (numClasses < 0 || numClasses == 1) {
        throw DataErrors.invalidConfig("numClasses", numClasses, "0 (infer) or >= 2");
      }
    }

    @Override
    public String describe() {
      return numClasses == 0 ? "classes" : numClasses + " classes";
    }
  }

  /** Classification with the distinct values mapped to indices. */
  record Indexed() implements LabelSpec {
    @Override
    public String describe() {
      return "indexed classes";
    }
  }

  /** @return regression */
  static LabelSpec regression() {
    return new Regression();
  }

  /** @return classification, labels are indices, K inferred */
  static LabelSpec classes() {
    return new Classes(0);
  }

  /**
   * @param k the number of classes, ≥ 2
   * @return classification, labels are indices 0..k-1
   */
  static LabelSpec classes(int k) {
    return new Classes(k);
  }

  /** @return classification, distinct label values mapped to 0..K-1 in sorted order */
  static LabelSpec indexed() {
    return new Indexed();
  }
}
