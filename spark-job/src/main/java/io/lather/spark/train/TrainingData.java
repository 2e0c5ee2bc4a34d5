package io.lather.spark.train;

import io.lather.datasets.LatherTable;
import io.lather.datasets.fashionmnist.FashionMnist;
import java.nio.file.Path;
import io.lather.models.Task;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * Reads a Lather table once and packs it into P partitions held in executor memory: row r goes to partition
 * {@code row_id mod P}, each partition sorts its rows by {@code row_id} and becomes one {@link PackedPartition}. The
 * assignment and the packing are functions of the table's content only.
 */
public final class TrainingData {
    private TrainingData() {}

    /**
     * @param table a validated Lather table
     * @param partitions P
     * @param task the model's task (which columns form the labels)
     * @param targetWidth values per row of {@code target} for regression tables (0 when the scalar {@code label} is the target)
     * @return the persisted, materialized RDD (one element per partition)
     */
    public static JavaRDD<PackedPartition> pack(Dataset<Row> table, int partitions, Task task, int targetWidth) {
        boolean useTarget = task == Task.REGRESSION && targetWidth > 0;
        Dataset<Row> cols = useTarget
                ? table.select(LatherTable.ROW_ID, LatherTable.LABEL, LatherTable.FEATURES, LatherTable.TARGET)
                : table.select(LatherTable.ROW_ID, LatherTable.LABEL, LatherTable.FEATURES);
        int labelWidth = switch (task) {
            case CLASSIFICATION -> 1;
            case REGRESSION -> useTarget ? targetWidth : 1;
            case RECONSTRUCTION -> 0;
        };
        JavaPairRDD<Integer, Row> keyed = cols.javaRDD()
                .mapToPair(r -> new Tuple2<>((int) Math.floorMod(r.getLong(0), (long) partitions), r))
                .partitionBy(new HashPartitioner(partitions));
        JavaRDD<PackedPartition> packed = keyed.mapPartitionsWithIndex(
                (index, rows) -> List.of(pack(index, rows, labelWidth, useTarget)).iterator(), true);
        packed.persist(StorageLevel.MEMORY_AND_DISK());
        packed.count();
        return packed;
    }

    private static PackedPartition pack(int index, Iterator<Tuple2<Integer, Row>> rows, int labelWidth, boolean useTarget) {
        List<Row> list = new ArrayList<>();
        rows.forEachRemaining(t -> list.add(t._2()));
        list.sort((a, b) -> Long.compare(a.getLong(0), b.getLong(0)));
        int n = list.size();
        int dim = n == 0 ? 0 : list.get(0).getList(2).size();
        long[] ids = new long[n];
        float[] features = new float[n * dim];
        float[] labels = new float[n * labelWidth];
        for (int i = 0; i < n; i++) {
            Row r = list.get(i);
            ids[i] = r.getLong(0);
            List<Object> f = r.getList(2);
            for (int j = 0; j < dim; j++) {
                features[i * dim + j] = ((Number) f.get(j)).floatValue();
            }
            if (useTarget) {
                List<Object> y = r.getList(3);
                for (int j = 0; j < labelWidth; j++) {
                    labels[i * labelWidth + j] = ((Number) y.get(j)).floatValue();
                }
            } else if (labelWidth == 1) {
                labels[i] = (float) r.getDouble(1);
            }
        }
        return new PackedPartition(index, ids, features, labels, dim, labelWidth);
    }

    /** Rows per partition, in partition order. */
    public static long[] partitionSizes(JavaRDD<PackedPartition> packed) {
        List<Integer> sizes = packed.map(PackedPartition::rows).collect();
        return sizes.stream().mapToLong(Integer::longValue).toArray();
    }

    /**
     * Fashion-MNIST from Debian's {@code dataset-fashion-mnist} package as two Lather Delta tables under
     * {@code <dataDir>/fashion-mnist} (all rows) or {@code <dataDir>/fashion-mnist-<train>-<test>} (a slice); loaded
     * once, then reused.
     *
     * @param trainRows the first this many training examples; 0 = all 60,000
     * @param testRows the first this many test examples; 0 = all 10,000
     */
    public static FashionMnist.Tables fashionMnist(SparkSession spark, String dataDir, int trainRows, int testRows) {
        String dir = Path.of(dataDir, trainRows == 0 && testRows == 0 ? "fashion-mnist"
                : "fashion-mnist-" + trainRows + "-" + testRows).toString();
        // the loader's convention for "all rows" is -1
        return FashionMnist.load(spark, FashionMnist.Options.defaults(dir)
                .withLimits(trainRows == 0 ? -1 : trainRows, testRows == 0 ? -1 : testRows));
    }

    /** For error messages. */
    static String describe(long[] sizes) {
        return Arrays.toString(sizes);
    }
}
