package io.lather.datasets.idx;

/**
 * Images read from an IDX file (magic {@code 0x00000803}): {@code count} unsigned-byte images of
 * {@code rows × cols}, stored row-major, image after image.
 *
 * @param totalCount the number of images the file's header announces
 * @param rows image height
 * @param cols image width
 * @param pixels the images read (all, or the first {@code limit}), {@code size() * rows * cols} bytes;
 *     read each with {@link #pixel}, since Java bytes are signed
 */
public record IdxImages(int totalCount, int rows, int cols, byte[] pixels) {

  /** @return the number of images read (≤ {@link #totalCount()}) */
  public int size() {
    return pixels.length / (rows * cols);
  }

  /**
   * @param image image index, 0-based
   * @param row pixel row
   * @param col pixel column
   * @return the pixel value 0..255
   */
  public int pixel(int image, int row, int col) {
    return pixels[(image * rows + row) * cols + col] & 0xFF;
  }
}
