package io.lather.datasets.fashionmnist;

import io.lather.datasets.DataErrors;
import io.lather.datasets.LatherDataException;
import io.lather.datasets.LatherTable;
import io.lather.datasets.LatherTableInfo;
import io.lather.datasets.idx.IdxReader;
import io.lather.datasets.internal.DeltaIo;
import io.lather.datasets.internal.TableWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Loads Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017: 28×28 grey-scale images of 10 clothing
 * classes, 60,000 train and 10,000 test) from Debian's {@code dataset-fashion-mnist} package into two
 * Lather tables.
 *
 * <p>Mapping: {@code row_id} = index of the example in the IDX file; {@code split} = {@code train} or
 * {@code test}; {@code label} = class 0..9; {@code features} = the 784 pixels in row-major order, each
 * {@code pixel / 255f} (so in [0, 1]). Properties: {@code lather.num_classes=10},
 * {@code lather.image.shape=1,28,28}, {@code lather.label.names} = the class names below,
 * {@code lather.source} = the files read and the row limit.
 *
 * <p>Idempotent: when the target table exists with the same {@code lather.source} and
 * {@code lather.num_rows}, it is kept and returned (reading only the IDX headers); a different table
 * there is an error unless {@link Options#overwrite()}.
 */
public final class FashionMnist {

  private FashionMnist() {}

  /** Where the Debian package {@code dataset-fashion-mnist} installs the files. */
  public static final Path DEFAULT_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

  /** The class names, index = label (from the dataset's documentation). */
  public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover",
      "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  /** Image side length in pixels. */
  public static final int SIDE = 28;

  /** The two splits and their files. */
  public enum Split {
    /** 60,000 training examples. */
    TRAIN("train", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    /** 10,000 test examples. */
    TEST("test", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");

    private final String splitName;
    private final String imagesFile;
    private final String labelsFile;

    Split(String splitName, String imagesFile, String labelsFile) {
      this.splitName = splitName;
      this.imagesFile = imagesFile;
      this.labelsFile = labelsFile;
    }

    /** @return the Lather split name ({@code train} / {@code test}), also the table's directory */
    public String splitName() {
      return splitName;
    }

    /** @return the images file name */
    public String imagesFile() {
      return imagesFile;
    }

    /** @return the labels file name */
    public String labelsFile() {
      return labelsFile;
    }
  }

  /**
   * Loader options.
   *
   * @param sourceDirectory directory holding the four {@code .gz} files; default
   *     {@link #DEFAULT_DIRECTORY}
   * @param outputDirectory the tables are written to {@code <outputDirectory>/train} and
   *     {@code <outputDirectory>/test}
   * @param trainLimit load only the first this many train examples; -1 = all 60,000
   * @param testLimit load only the first this many test examples; -1 = all 10,000
   * @param overwrite replace existing tables with different content
   * @param partitions number of Spark partitions (and data files) per table; 0 = Spark's default
   *     parallelism
   */
  public record Options(Path sourceDirectory, String outputDirectory, int trainLimit,
      int testLimit, boolean overwrite, int partitions) {

    /** Validates the ranges. */
    public Options {
      if (trainLimit < -1 || trainLimit == 0) {
        throw DataErrors.invalidConfig("trainLimit", trainLimit, "-1 (all) or > 0");
      }
      if (testLimit < -1 || testLimit == 0) {
        throw DataErrors.invalidConfig("testLimit", testLimit, "-1 (all) or > 0");
      }
      if (partitions < 0) {
        throw DataErrors.invalidConfig("partitions", partitions, ">= 0 (0 = default)");
      }
    }

    /**
     * @param outputDirectory where to write {@code train/} and {@code test/}
     * @return all rows from the default directory, no overwrite, default partitions
     */
    public static Options defaults(String outputDirectory) {
      return new Options(DEFAULT_DIRECTORY, outputDirectory, -1, -1, false, 0);
    }

    /**
     * @param dir the directory holding the four .gz files
     * @return a copy reading from {@code dir}
     */
    public Options withSourceDirectory(Path dir) {
      return new Options(dir, outputDirectory, trainLimit, testLimit, overwrite, partitions);
    }

    /**
     * @param train train row limit, -1 = all
     * @param test test row limit, -1 = all
     * @return a copy loading at most {@code train} / {@code test} rows
     */
    public Options withLimits(int train, int test) {
      return new Options(sourceDirectory, outputDirectory, train, test, overwrite, partitions);
    }

    /**
     * @param value whether to replace existing tables with different content
     * @return a copy with the overwrite flag set to {@code value}
     */
    public Options withOverwrite(boolean value) {
      return new Options(sourceDirectory, outputDirectory, trainLimit, testLimit, value,
          partitions);
    }

    /**
     * @param n partitions per table, 0 = Spark's default parallelism
     * @return a copy writing {@code n} partitions per table
     */
    public Options withPartitions(int n) {
      return new Options(sourceDirectory, outputDirectory, trainLimit, testLimit, overwrite, n);
    }
  }

  /**
   * The two tables written (or kept).
   *
   * @param train the train table
   * @param test the test table
   */
  public record Tables(LatherTableInfo train, LatherTableInfo test) {}

  /**
   * Checks that the four files are present.
   *
   * @param directory the directory to look in
   * @throws LatherDataException DATASET_NOT_INSTALLED naming the directory, the missing files and
   *     {@code sudo apt-get install dataset-fashion-mnist}
   */
  public static void checkInstalled(Path directory) {
    List<String> missing = new ArrayList<>();
    for (Split s : Split.values()) {
      for (String f : List.of(s.imagesFile(), s.labelsFile())) {
        if (!Files.isRegularFile(directory.resolve(f))) {
          missing.add(f);
        }
      }
    }
    if (!missing.isEmpty()) {
      throw DataErrors.fashionMnistMissing(directory, missing);
    }
  }

  /**
   * Loads both splits.
   *
   * @param spark a session with Delta enabled
   * @param options what to load and where
   * @return the train and test tables
   */
  public static Tables load(SparkSession spark, Options options) {
    checkInstalled(options.sourceDirectory());
    return new Tables(loadSplit(spark, options, Split.TRAIN), loadSplit(spark, options, Split.TEST));
  }

  /**
   * Loads one split into {@code <outputDirectory>/<split>}.
   *
   * @param spark a session with Delta enabled
   * @param options what to load and where
   * @param split which split
   * @return the written or kept table
   */
  public static LatherTableInfo loadSplit(SparkSession spark, Options options, Split split) {
    checkInstalled(options.sourceDirectory());
    Path images = options.sourceDirectory().resolve(split.imagesFile());
    Path labels = options.sourceDirectory().resolve(split.labelsFile());
    int limit = split == Split.TRAIN ? options.trainLimit() : options.testLimit();
    int available = IdxReader.readCount(images, IdxReader.IMAGES_MAGIC);
    int labelCount = IdxReader.readCount(labels, IdxReader.LABELS_MAGIC);
    if (available != labelCount) {
      throw DataErrors.idxCountMismatch(images, available, labels, labelCount);
    }
    int rows = limit < 0 ? available : Math.min(limit, available);
    String source = "Fashion-MNIST " + split.splitName() + " (Debian dataset-fashion-mnist): "
        + images + " + " + labels + "; "
        + (rows == available ? "all " + rows : "first " + rows + " of " + available)
        + " examples; features = pixel/255";
    String path = DeltaIo.qualify(options.outputDirectory() + "/" + split.splitName());
    int partitions = options.partitions() > 0 ? options.partitions()
        : spark.sparkContext().defaultParallelism();
    TableWriter.Request request = new TableWriter.Request("fashion-mnist/" + split.splitName(),
        path, source, CLASS_NAMES.size(), SIDE * SIDE, rows, List.of(1, SIDE, SIDE), CLASS_NAMES,
        List.of(), Map.of(), options.overwrite(), null);
    List<Broadcast<byte[]>> created = new ArrayList<>();
    try {
      return TableWriter.write(spark,
          () -> frame(spark, IdxReader.readPair(images, labels, rows), split.splitName(),
              partitions, created),
          request);
    } finally {
      created.forEach(b -> b.destroy());
    }
  }

  private static Dataset<Row> frame(SparkSession spark, IdxReader.Pair pair, String split,
      int partitions, List<Broadcast<byte[]>> created) {
    int n = pair.images().size();
    int pixels = pair.images().rows() * pair.images().cols();
    // The raw bytes (1 byte per pixel, 47 MB for the train split) are broadcast once per executor
    // rather than shipped inside tasks; each row is decoded to pixel/255f where it is generated.
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<byte[]> images = jsc.broadcast(pair.images().pixels());
    Broadcast<byte[]> labels = jsc.broadcast(pair.labels().labels());
    created.add(images);
    created.add(labels);
    MapPartitionsFunction<Long, Row> decode = ids -> new Iterator<>() {
      private final byte[] px = images.value();
      private final byte[] lb = labels.value();

      @Override
      public boolean hasNext() {
        return ids.hasNext();
      }

      @Override
      public Row next() {
        long id = ids.next();
        int offset = (int) id * pixels;
        float[] features = new float[pixels];
        for (int p = 0; p < pixels; p++) {
          features[p] = (px[offset + p] & 0xFF) / 255f;
        }
        return RowFactory.create(id, split, (double) (lb[(int) id] & 0xFF), features);
      }
    };
    return spark.range(0, n, 1, Math.max(1, Math.min(partitions, n)))
        .mapPartitions(decode, Encoders.row(LatherTable.frameSchema(false)));
  }
}
