package io.lather.datasets;

import java.util.Map;
import java.util.TreeMap;
import java.util.Collections;

/**
 * What a successful validation pass learned about a Lather table.
 *
 * @param rows number of rows (&gt; 0)
 * @param numFeatures the common length of the {@code features} arrays
 * @param numTargets the common length of the {@code target} arrays, 0 when there is no target column
 * @param maxLabel the largest label value (for classification: the largest class index)
 * @param splitCounts number of rows per split name, sorted by name
 */
public record ValidationSummary(long rows, int numFeatures, int numTargets, double maxLabel,
    Map<String, Long> splitCounts) {

  /** Copies {@code splitCounts} into an unmodifiable sorted map. */
  public ValidationSummary {
    splitCounts = Collections.unmodifiableMap(new TreeMap<>(splitCounts));
  }
}
