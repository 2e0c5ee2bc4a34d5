package io.lather.datasets.synthetic;

import io.lather.datasets.DataErrors;
import io.lather.datasets.LatherTable;
import io.lather.datasets.LatherTableInfo;
import io.lather.datasets.internal.DeltaIo;
import io.lather.datasets.internal.TableWriter;
import io.lather.datasets.synthetic.TeacherStudentConfig.Activation;
import io.lather.datasets.synthetic.TeacherStudentConfig.Task;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Generates teacher–student tables: inputs x ~ N(0, I) of dimension d; a random teacher MLP
 * f(x) = W_L σ(… σ(W_1 x + b_1) …) + b_L; for regression {@code target} = f(x) + noise·ε and
 * {@code label} = target[0]; for classification {@code label} = argmax(f(x) + noise·ε).
 *
 * <p>Teacher weights: W_l entries N(0, g²/fan_in) with g = 1 (tanh) or √2 (relu), biases N(0, 0.1²),
 * drawn from stream {@code "teacher"} of the seed, so the same seed gives the same teacher for every
 * split. Row r of split s draws its x (then its noise) from {@code SplitMix64.at(seed,
 * streamId("rows/" + s), r)}: each row is a pure function of (seed, split, r), generated in parallel
 * with {@code spark.range} and identical whatever the partitioning. The teacher sees the features as
 * stored (rounded to float), so the table's targets are exactly the teacher's function of its
 * features.
 */
public final class TeacherStudent {

  private TeacherStudent() {}

  /**
   * The teacher network, row-major weights.
   *
   * @param config the configuration it was drawn from
   * @param weights per layer, a fan_out × fan_in matrix, row-major
   * @param biases per layer, fan_out values
   */
  public record Teacher(TeacherStudentConfig config, List<double[]> weights, List<double[]> biases)
      implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * @param x an input of length {@code inputDim}
     * @return the teacher's outputs (logits for classification), length {@code outputs}
     */
    public double[] forward(double[] x) {
      double[] h = x;
      for (int l = 0; l < weights.size(); l++) {
        double[] w = weights.get(l);
        double[] b = biases.get(l);
        int in = h.length;
        double[] out = new double[b.length];
        for (int o = 0; o < out.length; o++) {
          double s = b[o];
          for (int i = 0; i < in; i++) {
            s += w[o * in + i] * h[i];
          }
          boolean hiddenLayer = l < weights.size() - 1;
          out[o] = !hiddenLayer ? s
              : config.activation() == Activation.TANH ? StrictMath.tanh(s) : Math.max(0.0, s);
        }
        h = out;
      }
      return h;
    }
  }

  /**
   * Draws the teacher of a configuration (deterministic from the seed).
   *
   * @param config the configuration
   * @return the teacher
   */
  public static Teacher teacher(TeacherStudentConfig config) {
    SplitMix64 rng = SplitMix64.at(config.seed(), SplitMix64.streamId("teacher"), 0);
    List<Integer> sizes = new ArrayList<>();
    sizes.add(config.inputDim());
    sizes.addAll(config.hidden());
    sizes.add(config.outputs());
    double gain = config.activation() == Activation.RELU ? Math.sqrt(2.0) : 1.0;
    List<double[]> weights = new ArrayList<>();
    List<double[]> biases = new ArrayList<>();
    for (int l = 0; l + 1 < sizes.size(); l++) {
      int in = sizes.get(l);
      int out = sizes.get(l + 1);
      double std = gain / Math.sqrt(in);
      double[] w = new double[out * in];
      for (int i = 0; i < w.length; i++) {
        w[i] = std * rng.nextGaussian();
      }
      double[] b = new double[out];
      for (int i = 0; i < out; i++) {
        b[i] = 0.1 * rng.nextGaussian();
      }
      weights.add(w);
      biases.add(b);
    }
    return new Teacher(config, weights, biases);
  }

  /**
   * The rows of a split, as a lazily computed frame in the Lather schema (not written). Useful for
   * in-memory experiments and tests.
   *
   * @param spark the session
   * @param config the configuration
   * @param split split name (also selects the row stream: different splits have independent inputs)
   * @param rows number of rows, ≥ 1
   * @param partitions number of partitions, ≥ 1 (does not change the rows)
   * @return the frame
   */
  public static Dataset<Row> rows(SparkSession spark, TeacherStudentConfig config, String split,
      long rows, int partitions) {
    checkSize(rows, partitions, split);
    Teacher teacher = teacher(config);
    long stream = SplitMix64.streamId("rows/" + split);
    boolean regression = config.task() == Task.REGRESSION;
    MapPartitionsFunction<Long, Row> generate = ids -> new Iterator<>() {
      @Override
      public boolean hasNext() {
        return ids.hasNext();
      }

      @Override
      public Row next() {
        long id = ids.next();
        return row(teacher, stream, split, id);
      }
    };
    return spark.range(0, rows, 1, partitions)
        .mapPartitions(generate, Encoders.row(LatherTable.frameSchema(regression)));
  }

  private static Row row(Teacher teacher, long stream, String split, long id) {
    TeacherStudentConfig c = teacher.config();
    SplitMix64 rng = SplitMix64.at(c.seed(), stream, id);
    float[] features = new float[c.inputDim()];
    double[] x = new double[c.inputDim()];
    for (int i = 0; i < x.length; i++) {
      features[i] = (float) rng.nextGaussian();
      x[i] = features[i];
    }
    double[] out = teacher.forward(x);
    for (int o = 0; o < out.length; o++) {
      out[o] += c.noise() * rng.nextGaussian();
    }
    if (c.task() == Task.REGRESSION) {
      float[] target = new float[out.length];
      for (int o = 0; o < out.length; o++) {
        target[o] = (float) out[o];
      }
      return RowFactory.create(id, split, (double) target[0], features, target);
    }
    int best = 0;
    for (int o = 1; o < out.length; o++) {
      if (out[o] > out[best]) {
        best = o;
      }
    }
    return RowFactory.create(id, split, (double) best, features);
  }

  /**
   * Generates a split and writes it as a Lather table (validated first; kept if an identical table
   * exists). Properties: {@code lather.source} = {@link TeacherStudentConfig#describe()} + split +
   * rows, and {@code lather.synthetic.*} = the configuration ({@link
   * TeacherStudentConfig#fromProperties} reads it back).
   *
   * @param spark a session with Delta enabled
   * @param config the configuration
   * @param split split name
   * @param rows number of rows
   * @param partitions number of partitions (and data files)
   * @param output target table location
   * @param overwrite replace a different existing table
   * @return the written or kept table
   */
  public static LatherTableInfo generate(SparkSession spark, TeacherStudentConfig config,
      String split, long rows, int partitions, String output, boolean overwrite) {
    checkSize(rows, partitions, split);
    String path = DeltaIo.qualify(output);
    int numClasses = config.task() == Task.CLASSIFICATION ? config.outputs() : 0;
    TableWriter.Request request = new TableWriter.Request(path, path,
        config.describe() + "; split " + split + ", " + rows + " rows", numClasses,
        config.inputDim(), rows, List.of(), List.of(), List.of(), config.toProperties(), overwrite,
        null);
    return TableWriter.write(spark, () -> rows(spark, config, split, rows, partitions), request);
  }

  static void checkSize(long rows, int partitions, String split) {
    if (rows < 1) {
      throw DataErrors.invalidConfig("rows", rows, ">= 1");
    }
    if (partitions < 1) {
      throw DataErrors.invalidConfig("partitions", partitions, ">= 1");
    }
    if (split == null || split.isEmpty()) {
      throw DataErrors.invalidConfig("split", "''", "a non-empty split name such as train or test");
    }
  }
}
