package io.lather.datasets.idx;

import io.lather.datasets.DataErrors;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST (gzip-compressed or plain). Pure Java.
 *
 * <p>Format (all integers big-endian): a 4-byte magic {@code 0x0000TTDD} where {@code TT = 0x08} means
 * unsigned bytes and {@code DD} is the number of dimensions; then {@code DD} 4-byte dimension sizes;
 * then the data. Images are {@code 0x00000803} (count, rows, cols), labels {@code 0x00000801}
 * (count). See http://yann.lecun.com/exdb/mnist/ for the original description.
 *
 * <p>Errors ({@link io.lather.datasets.LatherDataException}): IDX_BAD_MAGIC for a wrong magic
 * number, IDX_TRUNCATED when the file ends before its header's promise (also for a cut gzip stream),
 * IDX_COUNT_MISMATCH when images and labels disagree, IDX_UNREADABLE for I/O errors.
 */
public final class IdxReader {

  private IdxReader() {}

  /** Magic number of an unsigned-byte, 3-dimensional IDX file (images). */
  public static final int IMAGES_MAGIC = 0x00000803;
  /** Magic number of an unsigned-byte, 1-dimensional IDX file (labels). */
  public static final int LABELS_MAGIC = 0x00000801;

  /**
   * Images and labels of one split, checked to have the same count.
   *
   * @param images the images
   * @param labels the labels, one per image
   */
  public record Pair(IdxImages images, IdxLabels labels) {}

  /**
   * Reads the example count from an IDX file's header, without reading the data.
   *
   * @param file an IDX images or labels file
   * @param magic {@link #IMAGES_MAGIC} or {@link #LABELS_MAGIC}
   * @return the first dimension (the number of examples)
   */
  public static int readCount(Path file, int magic) {
    try (DataInputStream in = open(file)) {
      return readHeader(in, file, magic)[0];
    } catch (EOFException e) {
      throw DataErrors.idxTruncated(file, "a header", 0);
    } catch (IOException e) {
      throw DataErrors.idxUnreadable(file, e);
    }
  }

  /**
   * Reads an images file.
   *
   * @param file a {@code *-images-idx3-ubyte(.gz)} file
   * @param limit read at most this many images (the first ones); negative = all
   * @return the images
   */
  public static IdxImages readImages(Path file, int limit) {
    try (DataInputStream in = open(file)) {
      int[] dims = readHeader(in, file, IMAGES_MAGIC);
      int n = limit < 0 ? dims[0] : Math.min(limit, dims[0]);
      long bytes = (long) n * dims[1] * dims[2];
      if (bytes > Integer.MAX_VALUE - 8) {
        throw DataErrors.invalidConfig("images to read from " + file, n,
            "at most " + (Integer.MAX_VALUE / ((long) dims[1] * dims[2])) + " (one Java array)");
      }
      byte[] pixels = new byte[(int) bytes];
      readFully(in, pixels, file,
          n + " images of " + dims[1] + "x" + dims[2] + " (" + bytes + " bytes)");
      return new IdxImages(dims[0], dims[1], dims[2], pixels);
    } catch (IOException e) {
      throw DataErrors.idxUnreadable(file, e);
    }
  }

  /**
   * Reads a labels file.
   *
   * @param file a {@code *-labels-idx1-ubyte(.gz)} file
   * @param limit read at most this many labels (the first ones); negative = all
   * @return the labels
   */
  public static IdxLabels readLabels(Path file, int limit) {
    try (DataInputStream in = open(file)) {
      int[] dims = readHeader(in, file, LABELS_MAGIC);
      int n = limit < 0 ? dims[0] : Math.min(limit, dims[0]);
      byte[] labels = new byte[n];
      readFully(in, labels, file, n + " labels (" + n + " bytes)");
      return new IdxLabels(dims[0], labels);
    } catch (IOException e) {
      throw DataErrors.idxUnreadable(file, e);
    }
  }

  /**
   * Reads an images file and its labels file, checking first (from the headers alone) that they hold
   * the same number of examples.
   *
   * @param images the images file
   * @param labels the labels file
   * @param limit read at most this many examples; negative = all
   * @return images and labels of equal size
   */
  public static Pair readPair(Path images, Path labels, int limit) {
    int imageCount = readCount(images, IMAGES_MAGIC);
    int labelCount = readCount(labels, LABELS_MAGIC);
    if (imageCount != labelCount) {
      throw DataErrors.idxCountMismatch(images, imageCount, labels, labelCount);
    }
    return new Pair(readImages(images, limit), readLabels(labels, limit));
  }

  private static DataInputStream open(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    raw.mark(2);
    int b0 = raw.read();
    int b1 = raw.read();
    raw.reset();
    // Gzip streams start with 1f 8b; an IDX file starts with two zero bytes, so the two cannot be
    // confused and both forms are accepted.
    if (b0 == 0x1f && b1 == 0x8b) {
      raw = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
    }
    return new DataInputStream(raw);
  }

  private static int[] readHeader(DataInputStream in, Path file, int expectedMagic)
      throws IOException {
    int magic;
    try {
      magic = in.readInt();
    } catch (EOFException e) {
      throw DataErrors.idxTruncated(file, "a 4-byte magic number", 0);
    }
    if (magic != expectedMagic) {
      throw DataErrors.idxBadMagic(file, expectedMagic, magic);
    }
    int[] dims = new int[magic & 0xFF];
    for (int i = 0; i < dims.length; i++) {
      try {
        dims[i] = in.readInt();
      } catch (EOFException e) {
        throw DataErrors.idxTruncated(file, "a header of " + dims.length + " dimensions",
            4L * i);
      }
      if (dims[i] < 0) {
        throw DataErrors.idxUnreadable(file,
            new IOException("dimension " + i + " is " + Integer.toUnsignedString(dims[i])
                + ", larger than this reader supports"));
      }
    }
    return dims;
  }

  private static void readFully(InputStream in, byte[] buffer, Path file, String expected)
      throws IOException {
    int done = 0;
    try {
      while (done < buffer.length) {
        int n = in.read(buffer, done, buffer.length - done);
        if (n < 0) {
          break;
        }
        done += n;
      }
    } catch (EOFException e) {
      // A gzip stream cut in the middle ends with EOFException rather than a short read.
    }
    if (done < buffer.length) {
      throw DataErrors.idxTruncated(file, expected, done);
    }
  }
}
