package io.lather.spark.ml;

import io.lather.datasets.spark.LatherSparkSessions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The shared local[2] session and the small synthetic frames of the Spark ML tests (plain numeric columns). */
final class MlTestData {
    private MlTestData() {}

    static final String[] FEATURES = {"a", "b", "c", "d"};

    static SparkSession spark() {
        SparkSession s = LatherSparkSessions.local("lather-ml-tests", 2, Path.of(System.getProperty("java.io.tmpdir"),
                "lather-ml-tests"));
        s.sparkContext().setLogLevel("ERROR");
        return s;
    }

    static VectorAssembler assembler() {
        return new VectorAssembler().setInputCols(FEATURES).setOutputCol("features");
    }

    /**
     * Three Gaussian blobs in 4-D: class k ∈ {0, 1, 2} has mean 3·e_k and identity covariance. The class means are
     * 3√2 ≈ 4.24 apart, so a pair of classes is confused with probability Φ(−2.12) ≈ 1.7 % and the Bayes-optimal
     * accuracy is ≈ 0.97 (at least 1 − 2·0.017); chance is 1/3. Classes are balanced (row i has class i mod 3).
     * Columns: id (bigint), a, b, c, d (double), label (double).
     */
    static Dataset<Row> blobs(SparkSession spark, int rows, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            int k = i % 3;
            Object[] v = new Object[6];
            v[0] = (long) i;
            for (int j = 0; j < 4; j++) {
                v[1 + j] = (j == k ? 3.0 : 0.0) + rnd.nextGaussian();
            }
            v[5] = (double) k;
            out.add(RowFactory.create(v));
        }
        return spark.createDataFrame(out, schema("label"));
    }

    /** The coefficients of the linear target of {@link #linear}: y = 1.5a − 2b + 0.5c + 0·d + 3 + 0.1ε. */
    static final double[] WEIGHTS = {1.5, -2.0, 0.5, 0.0};
    static final double INTERCEPT = 3.0;
    static final double NOISE = 0.1;

    /**
     * A linear regression target of standard normal features: y = w·x + 3 + 0.1ε with w = (1.5, −2, 0.5, 0), so
     * Var(y) = 1.5² + 2² + 0.5² + 0.1² = 6.51 (std ≈ 2.55) and the best possible RMSE is the noise, 0.1.
     * Columns: id, a, b, c, d, y.
     */
    static Dataset<Row> linear(SparkSession spark, int rows, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            Object[] v = new Object[6];
            v[0] = (long) i;
            double y = INTERCEPT;
            for (int j = 0; j < 4; j++) {
                double x = rnd.nextGaussian();
                v[1 + j] = x;
                y += WEIGHTS[j] * x;
            }
            v[5] = y + NOISE * rnd.nextGaussian();
            out.add(RowFactory.create(v));
        }
        return spark.createDataFrame(out, schema("y"));
    }

    private static StructType schema(String label) {
        return new StructType().add("id", DataTypes.LongType, false).add("a", DataTypes.DoubleType, false)
                .add("b", DataTypes.DoubleType, false).add("c", DataTypes.DoubleType, false)
                .add("d", DataTypes.DoubleType, false).add(label, DataTypes.DoubleType, false);
    }
}
