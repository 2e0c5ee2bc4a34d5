package io.lather.datasets.idx;

/**
 * Labels read from an IDX file (magic {@code 0x00000801}): one unsigned byte per example.
 *
 * @param totalCount the number of labels the file's header announces
 * @param labels the labels read (all, or the first {@code limit}); read each with {@link #label}
 */
public record IdxLabels(int totalCount, byte[] labels) {

  /** @return the number of labels read (≤ {@link #totalCount()}) */
  public int size() {
    return labels.length;
  }

  /**
   * @param i example index, 0-based
   * @return the label value 0..255
   */
  public int label(int i) {
    return labels[i] & 0xFF;
  }
}
