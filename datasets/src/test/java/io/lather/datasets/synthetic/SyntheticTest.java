package io.lather.datasets.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lather.datasets.LatherDataException;
import io.lather.datasets.LatherTable;
import io.lather.datasets.LatherTableInfo;
import io.lather.datasets.TestSpark;
import io.lather.datasets.synthetic.TeacherStudentConfig.Activation;
import io.lather.datasets.synthetic.TeacherStudentConfig.Task;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generators: determinism, teacher–student shapes and labels, the Kronecker problem's optimum. */
class SyntheticTest {

  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = TestSpark.get();
  }

  private static float[] floats(Row row, String column) {
    List<Float> list = row.getList(row.fieldIndex(column));
    float[] out = new float[list.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = list.get(i);
    }
    return out;
  }

  /** Rows as comparable text, ordered by row_id; float text is exact (shortest round-trip). */
  private static List<String> canonical(Dataset<Row> rows) {
    List<String> out = new ArrayList<>();
    for (Row r : rows.orderBy("row_id").collectAsList()) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        Object v = r.get(i);
        sb.append(v instanceof scala.collection.Seq<?> s ? s.mkString("[", ",", "]") : v)
            .append('|');
      }
      out.add(sb.toString());
    }
    return out;
  }

  @Test
  void splitMix64MatchesTheReferenceImplementation() {
    // First outputs of Vigna's splitmix64.c with x = 0.
    SplitMix64 rng = new SplitMix64(0);
    assertEquals(0xE220A8397B1DCDAFL, rng.nextLong());
    assertEquals(0x6E789E6AA1B965F4L, rng.nextLong());
    assertEquals(0x06C45D188009454FL, rng.nextLong());
    // Gaussians: mean ~0, variance ~1 (20,000 draws: standard errors 0.007 and 0.01).
    SplitMix64 g = SplitMix64.at(42, SplitMix64.streamId("test"), 7);
    double sum = 0;
    double sq = 0;
    for (int i = 0; i < 20_000; i++) {
      double x = g.nextGaussian();
      sum += x;
      sq += x * x;
    }
    assertEquals(0.0, sum / 20_000, 0.03);
    assertEquals(1.0, sq / 20_000, 0.04);
    assertNotEquals(SplitMix64.at(1, 2, 3).nextLong(), SplitMix64.at(1, 2, 4).nextLong());
  }

  @Test
  void sameSeedGivesIdenticalRowsWhateverThePartitioning(@TempDir Path dir) {
    TeacherStudentConfig config = new TeacherStudentConfig(6, List.of(8), Activation.RELU, 2,
        Task.REGRESSION, 0.1, 11);
    List<String> one = canonical(TeacherStudent.rows(spark, config, "train", 200, 1));
    List<String> three = canonical(TeacherStudent.rows(spark, config, "train", 200, 3));
    assertEquals(one, three);
    LatherTableInfo written = TeacherStudent.generate(spark, config, "train", 200, 2,
        dir.resolve("ts").toString(), false);
    assertEquals(one, canonical(LatherTable.open(spark, written.path()).data()));
    // Another split or seed gives other inputs from the same teacher.
    assertNotEquals(one, canonical(TeacherStudent.rows(spark, config, "test", 200, 1)));

    KroneckerProblem problem = KroneckerProblem.of(new KroneckerConfig(2, 3, 5, 2, 0.5, 3));
    assertEquals(canonical(KroneckerLeastSquares.rows(spark, problem, "train", 100, 1)),
        canonical(KroneckerLeastSquares.rows(spark, problem, "train", 100, 4)));
  }

  @Test
  void teacherStudentClassificationLabelsAreTheTeachersArgmax(@TempDir Path dir) {
    TeacherStudentConfig config = new TeacherStudentConfig(10, List.of(16, 16), Activation.TANH,
        4, Task.CLASSIFICATION, 0.0, 5);
    LatherTableInfo info = TeacherStudent.generate(spark, config, "train", 500, 2,
        dir.resolve("cls").toString(), false);
    assertEquals(4, info.properties().numClasses());
    assertEquals(10, info.properties().numFeatures());
    assertEquals(0, info.properties().numTargets());
    assertEquals(config, TeacherStudentConfig.fromProperties(info.properties()));

    TeacherStudent.Teacher teacher = TeacherStudent.teacher(config);
    Set<Double> classes = new HashSet<>();
    for (Row r : LatherTable.open(spark, info.path()).data().collectAsList()) {
      float[] x = floats(r, "features");
      double[] logits = teacher.forward(toDouble(x));
      int best = 0;
      for (int o = 1; o < logits.length; o++) {
        best = logits[o] > logits[best] ? o : best;
      }
      assertEquals(best, r.getDouble(r.fieldIndex("label")));
      classes.add(r.getDouble(r.fieldIndex("label")));
    }
    assertTrue(classes.size() >= 3, "a random teacher should use most classes: " + classes);
    assertFalse(TeacherStudent.generate(spark, config, "train", 500, 2,
        dir.resolve("cls").toString(), false).written());
  }

  @Test
  void teacherStudentRegressionTargetsAreTheTeachersOutputs(@TempDir Path dir) {
    TeacherStudentConfig config = new TeacherStudentConfig(5, List.of(), Activation.RELU, 3,
        Task.REGRESSION, 0.0, 9);
    LatherTableInfo info = TeacherStudent.generate(spark, config, "test", 50, 1,
        dir.resolve("reg").toString(), false);
    assertEquals(0, info.properties().numClasses());
    assertEquals(3, info.properties().numTargets());
    TeacherStudent.Teacher teacher = TeacherStudent.teacher(config);
    for (Row r : LatherTable.open(spark, info.path()).data().collectAsList()) {
      double[] out = teacher.forward(toDouble(floats(r, "features")));
      float[] target = floats(r, "target");
      assertArrayEquals(new float[] {(float) out[0], (float) out[1], (float) out[2]}, target);
      assertEquals((double) target[0], r.getDouble(r.fieldIndex("label")));
    }
    LatherDataException bad = assertThrows(LatherDataException.class,
        () -> new TeacherStudentConfig(5, List.of(0), Activation.RELU, 3, Task.REGRESSION, 0, 1));
    assertEquals("hidden = [0]; must be a list of widths >= 1.",
        bad.getMessage().lines().findFirst().orElseThrow());
  }

  @Test
  void kroneckerLossAtOptimumIsZeroAndOptimumTableRoundTrips(@TempDir Path dir) {
    KroneckerConfig config = new KroneckerConfig(3, 4, 10, 5, 0.0, 21);
    LatherTableInfo info = KroneckerLeastSquares.generate(spark, config, "train", 2000, 2,
        dir.resolve("kron").toString(), false);
    assertEquals(12, info.properties().numFeatures());
    assertEquals(0, info.properties().numClasses());
    String optimumPath = info.properties().extra().get(KroneckerLeastSquares.OPTIMUM_TABLE_PROPERTY);
    assertEquals(dir.resolve("kron_optimum").toString(), optimumPath);

    KroneckerProblem stored = KroneckerLeastSquares.readOptimum(spark, optimumPath);
    KroneckerProblem recomputed = KroneckerProblem.of(KroneckerConfig.fromProperties(
        LatherTable.readProperties(spark, info.path())));
    assertEquals(config, stored.config());
    assertArrayEquals(recomputed.wStar(), stored.wStar());
    assertArrayEquals(recomputed.l(), stored.l());
    assertArrayEquals(recomputed.r(), stored.r());

    double loss = 0;
    double labelEnergy = 0;
    List<Row> rows = LatherTable.open(spark, info.path()).data().collectAsList();
    for (Row r : rows) {
      double y = r.getDouble(r.fieldIndex("label"));
      double e = KroneckerProblem.predict(stored.wStar(), floats(r, "features")) - y;
      loss += e * e;
      labelEnergy += y * y;
    }
    assertEquals(0.0, loss / rows.size());
    assertTrue(labelEnergy / rows.size() > 1e-3, "labels are not trivially zero");

    // With noise σ the loss at W* is σ² on average.
    KroneckerProblem noisy = KroneckerProblem.of(new KroneckerConfig(3, 4, 10, 5, 0.5, 21));
    double noisyLoss = 0;
    List<Row> noisyRows = KroneckerLeastSquares.rows(spark, noisy, "train", 4000, 2)
        .collectAsList();
    for (Row r : noisyRows) {
      double e = KroneckerProblem.predict(noisy.wStar(), floats(r, "features"))
          - r.getDouble(r.fieldIndex("label"));
      noisyLoss += e * e;
    }
    assertEquals(0.25, noisyLoss / noisyRows.size(), 0.03);
  }

  @Test
  void kroneckerFeatureCovarianceHasTheKroneckerStructure() {
    KroneckerConfig config = new KroneckerConfig(3, 4, 10, 4, 0.0, 8);
    KroneckerProblem problem = KroneckerProblem.of(config);
    int d = 12;
    int n = 20_000;
    double[] cov = new double[d * d];
    for (Row r : KroneckerLeastSquares.rows(spark, problem, "train", n, 2).select("features")
        .collectAsList()) {
      float[] x = floats(r, "features");
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          cov[a * d + b] += (double) x[a] * x[b] / n; // the mean is zero by construction
        }
      }
    }
    double[] expected = problem.featureCovariance();
    double diff = 0;
    double norm = 0;
    for (int k = 0; k < cov.length; k++) {
      diff += (cov[k] - expected[k]) * (cov[k] - expected[k]);
      norm += expected[k] * expected[k];
    }
    assertTrue(Math.sqrt(diff / norm) < 0.05,
        "relative Frobenius error " + Math.sqrt(diff / norm));

    // The factors are as ill-conditioned as asked: LLᵀ has eigenvalues 1 .. 1/κ_L², so its
    // trace is between m/κ_L² and m, and its determinant is Π s_k² (s_k = κ^(-k/(m-1))).
    double[] l = problem.l();
    double[] llt = Dense.multiply(l, Dense.transpose(l, 3, 3), 3, 3, 3);
    double det = llt[0] * (llt[4] * llt[8] - llt[5] * llt[7])
        - llt[1] * (llt[3] * llt[8] - llt[5] * llt[6])
        + llt[2] * (llt[3] * llt[7] - llt[4] * llt[6]);
    assertEquals(1.0 * Math.pow(10, -1) * Math.pow(10, -2), det, 1e-12);
  }

  private static double[] toDouble(float[] x) {
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = x[i];
    }
    return out;
  }
}
