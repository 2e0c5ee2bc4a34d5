package io.lather.datasets;

/**
 * A Lather table on storage, as returned by every loader and generator.
 *
 * @param path the table's fully qualified location (absolute path or URI)
 * @param properties the table's Lather properties
 * @param written true when this call wrote the table; false when an identical table (same
 *     {@code lather.source} and {@code lather.num_rows}) was already there and was kept
 */
public record LatherTableInfo(String path, LatherTableProperties properties, boolean written) {

  /** @return one line for logs and the CLI: what is where, and whether it was written or kept */
  public String describe() {
    LatherTableProperties p = properties;
    String task = p.isClassification() ? p.numClasses() + " classes" : "regression";
    return (written ? "wrote " : "kept existing ") + path + ": " + p.numRows() + " rows, "
        + p.numFeatures() + " features, " + task
        + (p.numTargets() > 0 ? ", " + p.numTargets() + " targets" : "")
        + ", splits " + p.splits() + " (source: " + p.source() + ")";
  }
}
