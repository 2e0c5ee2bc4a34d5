package io.lather.datasets.idx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lather.datasets.LatherDataException;
import io.lather.datasets.LatherDataException.Kind;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The IDX reader on the real Fashion-MNIST files and on corrupted bytes. No Spark. */
class IdxReaderTest {

  private static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");
  private static final Path TRAIN_IMAGES = DIR.resolve("train-images-idx3-ubyte.gz");
  private static final Path TRAIN_LABELS = DIR.resolve("train-labels-idx1-ubyte.gz");
  private static final Path TEST_IMAGES = DIR.resolve("t10k-images-idx3-ubyte.gz");
  private static final Path TEST_LABELS = DIR.resolve("t10k-labels-idx1-ubyte.gz");

  @Test
  void realFilesHaveTheDocumentedCountsLabelsAndPixelRange() {
    IdxReader.Pair train = IdxReader.readPair(TRAIN_IMAGES, TRAIN_LABELS, -1);
    assertEquals(60_000, train.images().size());
    assertEquals(60_000, train.labels().size());
    assertEquals(28, train.images().rows());
    assertEquals(28, train.images().cols());
    // First labels of the training set: ankle boot, T-shirt, T-shirt, dress, T-shirt, pullover, ...
    int[] first = new int[10];
    for (int i = 0; i < 10; i++) {
      first[i] = train.labels().label(i);
    }
    assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, first);
    int[] perClass = new int[10];
    for (int i = 0; i < 60_000; i++) {
      perClass[train.labels().label(i)]++;
    }
    int[] sixThousand = new int[10];
    Arrays.fill(sixThousand, 6000);
    assertArrayEquals(sixThousand, perClass); // the training set is balanced
    int min = 255;
    int max = 0;
    for (byte b : train.images().pixels()) {
      min = Math.min(min, b & 0xFF);
      max = Math.max(max, b & 0xFF);
    }
    assertEquals(0, min);
    assertEquals(255, max);

    assertEquals(10_000, IdxReader.readCount(TEST_IMAGES, IdxReader.IMAGES_MAGIC));
    IdxLabels test = IdxReader.readLabels(TEST_LABELS, 5);
    assertEquals(10_000, test.totalCount());
    assertEquals(5, test.size());
    assertEquals(9, test.label(0));
    assertEquals(2, test.label(1));
    IdxImages limited = IdxReader.readImages(TEST_IMAGES, 3);
    assertEquals(3, limited.size());
    assertEquals(10_000, limited.totalCount());
  }

  private static byte[] header(int magic, int... dims) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(magic);
    for (int d : dims) {
      out.writeInt(d);
    }
    return bytes.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static Path gzip(Path file, byte[] content) throws IOException {
    try (GZIPOutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(content);
    }
    return file;
  }

  @Test
  void plainAndGzipFilesReadTheSame(@TempDir Path dir) throws Exception {
    byte[] content = concat(header(0x803, 2, 2, 3), new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
        (byte) 255});
    Path plain = Files.write(dir.resolve("p-idx3-ubyte"), content);
    Path gz = gzip(dir.resolve("g-idx3-ubyte.gz"), content);
    IdxImages a = IdxReader.readImages(plain, -1);
    IdxImages b = IdxReader.readImages(gz, -1);
    assertArrayEquals(a.pixels(), b.pixels());
    assertEquals(255, a.pixel(1, 1, 2));
    assertEquals(4, a.pixel(0, 1, 1));
  }

  @Test
  void badMagicNamesFileExpectedAndFoundAndTheLikelyMixUp(@TempDir Path dir) {
    // A labels file passed as images.
    LatherDataException e = assertThrows(LatherDataException.class,
        () -> IdxReader.readImages(TRAIN_LABELS, 1));
    assertEquals(Kind.IDX_BAD_MAGIC, e.kind());
    assertTrue(e.getMessage().startsWith("IDX file " + TRAIN_LABELS + " has magic number "
        + "0x00000801; expected 0x00000803 (unsigned-byte images, 3 dimensions)."), e.getMessage());
    assertTrue(e.getMessage().contains("a labels file given as images"), e.getMessage());

    LatherDataException text = assertThrows(LatherDataException.class,
        () -> IdxReader.readLabels(Files.writeString(dir.resolve("x"), "hello world"), -1));
    assertEquals(Kind.IDX_BAD_MAGIC, text.kind());
    assertTrue(text.getMessage().contains("has magic number 0x68656C6C"), text.getMessage());
  }

  @Test
  void truncatedFilesReportHowMuchWasExpectedAndFound(@TempDir Path dir) throws Exception {
    // Plain file: header for 2 images of 2x2 (8 bytes) but only 5 bytes of pixels.
    Path plain = Files.write(dir.resolve("short"), concat(header(0x803, 2, 2, 2),
        new byte[] {1, 2, 3, 4, 5}));
    LatherDataException e = assertThrows(LatherDataException.class,
        () -> IdxReader.readImages(plain, -1));
    assertEquals(Kind.IDX_TRUNCATED, e.kind());
    assertTrue(e.getMessage().startsWith("IDX file " + plain + " is truncated: the header "
        + "announces 2 images of 2x2 (8 bytes), but the file ends after 5 bytes of data."),
        e.getMessage());
    assertTrue(e.getMessage().contains("apt-get install --reinstall dataset-fashion-mnist"));

    // Real gzip cut short: the stream ends in the middle of the pixels.
    byte[] real = Files.readAllBytes(TEST_IMAGES);
    Path cut = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(real, 20_000));
    LatherDataException gz = assertThrows(LatherDataException.class,
        () -> IdxReader.readImages(cut, -1));
    assertEquals(Kind.IDX_TRUNCATED, gz.kind());
    assertTrue(gz.getMessage().contains("announces 10000 images of 28x28 (7840000 bytes)"),
        gz.getMessage());

    // Header itself cut.
    Path tiny = Files.write(dir.resolve("tiny"), new byte[] {0, 0, 8});
    assertEquals(Kind.IDX_TRUNCATED,
        assertThrows(LatherDataException.class, () -> IdxReader.readLabels(tiny, -1)).kind());
  }

  @Test
  void imagesAndLabelsWithDifferentCountsAreRejected(@TempDir Path dir) throws Exception {
    byte[] labels;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(TEST_LABELS))) {
      labels = in.readAllBytes();
    }
    LatherDataException e = assertThrows(LatherDataException.class,
        () -> IdxReader.readPair(TRAIN_IMAGES, TEST_LABELS, 10));
    assertEquals(Kind.IDX_COUNT_MISMATCH, e.kind());
    assertTrue(e.getMessage().startsWith("IDX files disagree: " + TRAIN_IMAGES + " holds 60000 "
        + "images but " + TEST_LABELS + " holds 10000 labels."), e.getMessage());
    assertTrue(e.getMessage().contains("pair each images file with the labels file of the same "
        + "split"));
    assertEquals(10_008, labels.length);
  }
}
