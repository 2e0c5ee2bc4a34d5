package io.lather.gpucheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lather.datasets.LatherTable;
import io.lather.datasets.fashionmnist.FashionMnist;
import io.lather.datasets.idx.IdxReader;
import io.lather.datasets.spark.LatherSparkSessions;
import io.lather.datasets.synthetic.TeacherStudent;
import io.lather.datasets.synthetic.TeacherStudentConfig;
import io.lather.gpucheck.RapidsExplain.Explanation;
import io.lather.gpucheck.RapidsExplain.Node;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which operators of Lather's data queries the RAPIDS Accelerator 26.08.1 would run on the GPU, asked through its
 * explain API on a CPU-only local[2] session (see {@link RapidsExplain}). The session carries the {@code
 * spark.rapids.sql.*} settings of {@code conf/spark-gpu.conf}, so the answer is the one a GPU cluster started with that
 * file would give for the same plans.
 *
 * <p>The queries are the ones the code runs, built through the project's own entry points on real tables written by
 * the real loaders (Fashion-MNIST from the Debian package; a teacher-student regression table for the {@code target}
 * column): the Delta scan of {@code LatherTable.open}, the column selection of {@code TrainingData.pack} (and the
 * {@code orderBy(row_id).limit(n)} the trainer adds for {@code data.limit}), and the loaders' decode/generate queries.
 * docs/GPU.md explains each result, in particular why the decode stays on the CPU.
 */
class DataQueriesOnGpuTest {

  @TempDir
  static Path dir;

  private static SparkSession spark;
  private static RapidsExplain rapids;
  private static String fashionTrain;
  private static String regressionTrain;
  private static TeacherStudentConfig regression;

  @BeforeAll
  static void start() {
    spark = LatherSparkSessions.local("lather-gpu-check", 2, dir);
    spark.sparkContext().setLogLevel("WARN");
    // The runtime SQL settings of the GPU configuration (startup-only settings such as memory pools do not change
    // planning). Today the file keeps RAPIDS' defaults for all of them; applying them keeps this test honest if it
    // ever switches an operator or format off.
    GpuConf.properties().forEach((k, v) -> {
      if (k.startsWith("spark.rapids.sql.")) {
        spark.conf().set(k, v);
      }
    });
    rapids = RapidsExplain.shared();
    fashionTrain = FashionMnist.load(spark, FashionMnist.Options.defaults(dir.resolve("fashion-mnist").toString())
        .withLimits(256, 64).withPartitions(2)).train().path();
    regression = new TeacherStudentConfig(8, List.of(4), TeacherStudentConfig.Activation.TANH, 3,
        TeacherStudentConfig.Task.REGRESSION, 0.01, 7);
    regressionTrain = TeacherStudent.generate(spark, regression, "train", 64, 2,
        dir.resolve("teacher-student").toString(), false).path();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  /** The columns {@code TrainingData.pack} selects before it leaves SQL with {@code javaRDD()}. */
  private static Dataset<Row> packSelection(Dataset<Row> table, boolean withTarget) {
    return withTarget
        ? table.select(LatherTable.ROW_ID, LatherTable.LABEL, LatherTable.FEATURES, LatherTable.TARGET)
        : table.select(LatherTable.ROW_ID, LatherTable.LABEL, LatherTable.FEATURES);
  }

  private static void assertNothingOnCpu(Dataset<Row> query, String what) {
    String notOnGpu = rapids.explainText(query, "NOT_ON_GPU");
    assertTrue(notOnGpu.isBlank(), what + ": RAPIDS would keep these on the CPU:\n" + notOnGpu);
  }

  @Test
  void deltaScanOfAnOpenedLatherTableRunsOnGpu() {
    for (String path : List.of(fashionTrain, regressionTrain)) {
      // The trainer's call: properties, pinned Delta version, validation scan.
      Dataset<Row> data = LatherTable.open(spark, path).data();
      // It really is Delta's reader (a snapshot's file index), not a plain Parquet scan of the directory.
      assertTrue(data.queryExecution().executedPlan().toString().contains("PreparedDeltaFileIndex"),
          data.queryExecution().executedPlan().toString());
      Explanation e = rapids.explain(data);
      assertEquals(List.of("FileSourceScanExec: GPU"), e.operatorSummary(), e.text());
      assertNothingOnCpu(data, "Delta scan of " + path);
    }
  }

  @Test
  void trainingDataSelectionRunsOnGpuForEveryTask() {
    // Classification (row_id, label, features) and regression with a target column (row_id, label, features, target):
    // the selection is pruned into the scan, so the whole SQL part of the read is one GPU Parquet scan.
    Map<String, Boolean> tables = Map.of(fashionTrain, false, regressionTrain, true);
    tables.forEach((path, withTarget) -> {
      Dataset<Row> selection = packSelection(LatherTable.open(spark, path, false).data(), withTarget);
      Explanation e = rapids.explain(selection);
      assertEquals(List.of("FileSourceScanExec: GPU"), e.operatorSummary(), e.text());
      assertNothingOnCpu(selection, "TrainingData.pack selection of " + path);
    });
  }

  @Test
  void limitedTrainingReadRunsOnGpu() {
    // Trainer with data.limit > 0 on a non-Fashion-MNIST table: orderBy(row_id).limit(n) before pack.
    Dataset<Row> data = LatherTable.open(spark, regressionTrain, false).data();
    Dataset<Row> limited = packSelection(data.orderBy(LatherTable.ROW_ID).limit(50), true);
    Explanation e = rapids.explain(limited);
    assertEquals(List.of("TakeOrderedAndProjectExec: GPU", "FileSourceScanExec: GPU"), e.operatorSummary(), e.text());
    assertNothingOnCpu(limited, "limited read");
  }

  /** The fallback reasons RAPIDS gives for the JVM-object operators of a typed {@code mapPartitions}. */
  private static Set<String> objectOperatorReasons(String className) {
    return Set.of("not all expressions can be replaced",
        "GPU does not currently support the operator class org.apache.spark.sql.execution." + className);
  }

  private static void assertMapPartitionsOverRangeStaysOnCpu(Dataset<Row> query) {
    Explanation e = rapids.explain(query);
    // Only the id generator (spark.range) has a GPU version; the Java decode lambda and the conversions between
    // Spark's rows and JVM objects around it cannot leave the JVM.
    assertEquals(List.of("SerializeFromObjectExec: CPU", "MapPartitionsExec: CPU", "DeserializeToObjectExec: CPU",
        "RangeExec: GPU"), e.operatorSummary(), e.text());
    for (String op : List.of("SerializeFromObjectExec", "MapPartitionsExec", "DeserializeToObjectExec")) {
      Node n = e.operator(op);
      assertEquals(objectOperatorReasons(op), n.reasons(), n.line());
    }
  }

  @Test
  void fashionMnistDecodeAndScalingStayOnCpu() throws Exception {
    // FashionMnist.frame is the loader's decode + scaling query (IDX bytes -> features = pixel / 255f). It is private
    // and is reached here by reflection so that the test explains the exact production query rather than a copy.
    Method frame = Arrays.stream(FashionMnist.class.getDeclaredMethods())
        .filter(m -> m.getName().equals("frame") && m.getParameterCount() == 5)
        .findFirst()
        .orElseThrow(() -> new AssertionError("FashionMnist.frame(SparkSession, IdxReader.Pair, String, int, List) "
            + "not found: the loader's decode query moved; point this test at its new home."));
    frame.setAccessible(true);
    IdxReader.Pair pair = IdxReader.readPair(FashionMnist.DEFAULT_DIRECTORY.resolve("train-images-idx3-ubyte.gz"),
        FashionMnist.DEFAULT_DIRECTORY.resolve("train-labels-idx1-ubyte.gz"), 128);
    List<Broadcast<byte[]>> broadcasts = new ArrayList<>();
    try {
      @SuppressWarnings("unchecked")
      Dataset<Row> decode = (Dataset<Row>) frame.invoke(null, spark, pair, "train", 2, broadcasts);
      assertMapPartitionsOverRangeStaysOnCpu(decode);
    } catch (InvocationTargetException e) {
      throw new AssertionError("FashionMnist.frame failed", e.getCause());
    } finally {
      broadcasts.forEach(Broadcast::destroy);
    }
  }

  @Test
  void syntheticGeneratorStaysOnCpu() {
    assertMapPartitionsOverRangeStaysOnCpu(TeacherStudent.rows(spark, regression, "train", 64, 2));
  }
}
