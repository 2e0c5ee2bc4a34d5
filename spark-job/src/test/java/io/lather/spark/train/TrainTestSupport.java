package io.lather.spark.train;

import io.lather.datasets.spark.LatherSparkSessions;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;

/** The shared local[2] session of the training tests and small synthetic partitions. */
final class TrainTestSupport {
    private TrainTestSupport() {}

    static SparkSession spark() {
        SparkSession s = LatherSparkSessions.local("lather-train-tests", 2,
                Path.of(System.getProperty("java.io.tmpdir"), "lather-train-tests"));
        s.sparkContext().setLogLevel("ERROR");
        return s;
    }

    /** A partition of {@code rows} random rows with {@code dim} features and class labels in [0, classes). */
    static PackedPartition randomPartition(int index, int rows, int dim, int classes, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed * 1000 + index);
        long[] ids = new long[rows];
        float[] x = new float[rows * dim];
        float[] y = new float[rows];
        for (int i = 0; i < rows; i++) {
            ids[i] = (long) i * 16 + index;
            for (int j = 0; j < dim; j++) {
                x[i * dim + j] = (float) rnd.nextGaussian();
            }
            y[i] = rnd.nextInt(classes);
        }
        return new PackedPartition(index, ids, x, y, dim, 1);
    }
}
