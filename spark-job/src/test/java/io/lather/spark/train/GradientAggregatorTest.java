package io.lather.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lather.models.LossAndGradient;
import io.lather.models.Model;
import io.lather.models.ModelSpec;
import io.lather.models.Precision;
import io.lather.optimizer.config.OptimizerConfigParser;
import io.lather.optimizer.shampoo.ShampooOptimizer;
import io.lather.optimizer.shampoo.StatisticsPlan;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The reduction from partitions to the driver: the aggregator's algebra, the distributed result against a fold on the
 * driver, and bit-for-bit determinism whatever order Spark's tasks finish in.
 */
class GradientAggregatorTest {
    private static final int P = 4;
    private static final int DIM = 6;
    private static final int CLASSES = 3;
    private static final int ROWS = 40;
    private static final int BATCH = 8;

    private static JavaSparkContext jsc;
    private static ModelSpec spec;

    @BeforeAll
    static void setUp() {
        jsc = JavaSparkContext.fromSparkContext(TrainTestSupport.spark().sparkContext());
        spec = ModelSpec.fromConfig(Map.of("type", "mlp", "input_dim", "" + DIM, "hidden_sizes", "5", "activation", "tanh",
                "output_dim", "" + CLASSES));
    }

    private static PartitionResult random(int partition, SplittableRandom rnd, boolean withStats) {
        double[][] g = {rnd.doubles(5).map(v -> v * 1e3 - 500).toArray(), rnd.doubles(3).toArray()};
        double[][] s = withStats ? new double[][] {rnd.doubles(4).toArray()} : null;
        return new PartitionResult(partition, 1 + rnd.nextInt(10), rnd.nextDouble(), rnd.nextInt(5), g, s, rnd.nextInt(100),
                rnd.nextInt(100));
    }

    private static void assertSameBits(GradientAggregator a, GradientAggregator b) {
        assertEquals(a.rows(), b.rows());
        assertEquals(Double.doubleToRawLongBits(a.lossSum()), Double.doubleToRawLongBits(b.lossSum()));
        assertEquals(a.correct(), b.correct());
        assertEquals(a.partitions(), b.partitions());
        assertEquals(a.gradients().length, b.gradients().length);
        for (int i = 0; i < a.gradients().length; i++) {
            assertArrayEquals(a.gradients()[i], b.gradients()[i], 0.0); // assertArrayEquals(double[], double[], 0) is exact
        }
        if (a.statistics() != null || b.statistics() != null) {
            for (int i = 0; i < a.statistics().length; i++) {
                assertArrayEquals(a.statistics()[i], b.statistics()[i], 0.0);
            }
        }
    }

    @Test
    void emptyIsTheIdentityAndMergeOfSingletonsIsTheSequentialFold() {
        SplittableRandom rnd = new SplittableRandom(3);
        List<PartitionResult> rs = new ArrayList<>();
        for (int p = 0; p < 5; p++) {
            rs.add(random(p, rnd, true));
        }
        GradientAggregator fold = GradientAggregator.empty();
        rs.forEach(fold::add);
        GradientAggregator merged = GradientAggregator.empty();
        for (PartitionResult r : rs) {
            merged.merge(GradientAggregator.empty().add(r));
        }
        assertSameBits(fold, merged);
        GradientAggregator left = GradientAggregator.empty().merge(copy(rs));
        GradientAggregator right = copy(rs).merge(GradientAggregator.empty());
        assertSameBits(fold, left);
        assertSameBits(fold, right);
        assertEquals(rs.stream().mapToLong(PartitionResult::rows).sum(), fold.rows());
    }

    private static GradientAggregator copy(List<PartitionResult> rs) {
        GradientAggregator a = GradientAggregator.empty();
        rs.forEach(a::add);
        return a;
    }

    @Test
    void mergeIsCommutativeExactlyAndAssociativeUpToRounding() {
        SplittableRandom rnd = new SplittableRandom(11);
        PartitionResult a = random(0, rnd, false);
        PartitionResult b = random(1, rnd, false);
        PartitionResult c = random(2, rnd, false);
        // x + y == y + x in IEEE arithmetic, so two-way merges commute bit for bit
        assertSameBits(GradientAggregator.empty().add(a).add(b), GradientAggregator.empty().add(b).add(a));
        // (a + b) + c and a + (b + c) round differently in general; they agree to a few ulps of the magnitudes
        // summed (|values| ≤ 500 here: 1e-12 absolute is ~10 ulps), which is why the driver fixes the order
        GradientAggregator ab = GradientAggregator.empty().add(a).add(b).merge(GradientAggregator.empty().add(c));
        GradientAggregator bc = GradientAggregator.empty().add(a).merge(GradientAggregator.empty().add(b).add(c));
        for (int i = 0; i < ab.gradients().length; i++) {
            assertArrayEquals(ab.gradients()[i], bc.gradients()[i], 1e-12);
        }
        assertEquals(ab.rows(), bc.rows());
        assertEquals(ab.correct(), bc.correct());
    }

    @Test
    void mismatchedShapesAreRejected() {
        PartitionResult a = new PartitionResult(0, 1, 0, 0, new double[][] {{1, 2}}, null, 0, 0);
        PartitionResult b = new PartitionResult(1, 1, 0, 0, new double[][] {{1, 2, 3}}, null, 0, 0);
        GradientAggregator agg = GradientAggregator.empty().add(a);
        assertThrows(IllegalArgumentException.class, () -> agg.add(b));
    }

    private static List<PackedPartition> partitions() {
        List<PackedPartition> parts = new ArrayList<>();
        for (int p = 0; p < P; p++) {
            parts.add(TrainTestSupport.randomPartition(p, ROWS, DIM, CLASSES, 5));
        }
        return parts;
    }

    private static GradientAggregator distributed(List<PackedPartition> parts, Precision precision, long step, boolean shuffleCompletion,
            StatisticsPlan plan) {
        Model model = Model.build(spec, precision);
        Map<String, INDArray> params = model.initialParameters(9);
        Broadcast<ParameterSnapshot> b = jsc.broadcast(ParameterSnapshot.of(step, params));
        GradientTask task = new GradientTask(b, spec, precision, new BatchPlan(17, BATCH), step, plan, null);
        JavaRDD<PackedPartition> rdd = jsc.parallelize(parts, P);
        long delaySeed = new Random().nextLong();
        Function2<Integer, java.util.Iterator<PackedPartition>, java.util.Iterator<PartitionResult>> f = shuffleCompletion
                ? (index, it) -> {
                    // random per-task delays make tasks finish in a different order on every run
                    Thread.sleep(new SplittableRandom(delaySeed + index).nextInt(200));
                    return task.call(index, it);
                }
                : task;
        List<PartitionResult> results = rdd.mapPartitionsWithIndex(f, true).collect();
        b.destroy();
        GradientAggregator agg = GradientAggregator.empty();
        for (int i = 0; i < results.size(); i++) {
            assertEquals(i, results.get(i).partition(), "collect() returns results in partition order");
            agg.add(results.get(i));
        }
        return agg;
    }

    @Test
    void distributedEqualsTheLocalFoldBitForBit() throws Exception {
        List<PackedPartition> parts = partitions();
        GradientAggregator spark = distributed(parts, Precision.FLOAT32, 3, false, null);
        // the same tasks run on the driver, folded in partition order
        Model model = Model.build(spec, Precision.FLOAT32);
        Broadcast<ParameterSnapshot> b = jsc.broadcast(ParameterSnapshot.of(3, model.initialParameters(9)));
        GradientTask task = new GradientTask(b, spec, Precision.FLOAT32, new BatchPlan(17, BATCH), 3, null, null);
        GradientAggregator local = GradientAggregator.empty();
        for (PackedPartition part : parts) {
            task.call(part.index(), List.of(part).iterator()).forEachRemaining(local::add);
        }
        b.destroy();
        assertSameBits(local, spark);
        assertEquals((long) P * BATCH, spark.rows());
    }

    @Test
    void distributedEqualsOneBigBatchUpToSummationOrder() {
        List<PackedPartition> parts = partitions();
        GradientAggregator spark = distributed(parts, Precision.FLOAT64, 2, false, null);
        // one forward/backward over the union of the partitions' batches (float64 model)
        BatchPlan plan = new BatchPlan(17, BATCH);
        float[] x = new float[P * BATCH * DIM];
        float[] y = new float[P * BATCH];
        int row = 0;
        for (PackedPartition part : parts) {
            int[] pos = plan.positions(part.index(), part.rows(), 2);
            System.arraycopy(part.gatherFeatures(pos), 0, x, row * DIM, pos.length * DIM);
            System.arraycopy(part.gatherLabels(pos), 0, y, row, pos.length);
            row += pos.length;
        }
        Model model = Model.build(spec, Precision.FLOAT64);
        LossAndGradient whole = model.lossAndGradient(model.initialParameters(9), x, y, row);
        assertEquals(whole.rows(), spark.rows());
        assertEquals(whole.correctCount(), spark.correct());
        // float64 sums of 32 terms in two different orders: relative 1e-12 is far above their rounding (~1e-15)
        assertEquals(whole.lossSum(), spark.lossSum(), 1e-12 * Math.abs(whole.lossSum()));
        int i = 0;
        for (double[] g : whole.gradientSumsAsDoubles().values()) {
            double scale = 0;
            for (double v : g) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertArrayEquals(g, spark.gradients()[i++], 1e-12 * scale);
        }
    }

    @Test
    void shuffledTaskCompletionGivesTheSameBits() {
        List<PackedPartition> parts = partitions();
        Model model = Model.build(spec, Precision.FLOAT32);
        StatisticsPlan plan = ((ShampooOptimizer) io.lather.optimizer.Optimizers.create(
                OptimizerConfigParser.parse(Map.of("optimizer", "shampoo")), model.initialParameters(9))).statisticsPlan();
        GradientAggregator first = distributed(parts, Precision.FLOAT32, 5, true, plan);
        for (int run = 0; run < 3; run++) {
            assertSameBits(first, distributed(parts, Precision.FLOAT32, 5, true, plan));
        }
        assertTrue(first.statistics() != null && first.statistics().length > 0, "partition statistics were reduced too");
        // and a different step is a different batch (the comparison above is not vacuous)
        assertNotEquals(first.lossSum(), distributed(parts, Precision.FLOAT32, 6, false, plan).lossSum());
    }

    @Test
    void resultsMergedInCompletionOrderWouldDiffer() {
        // why the driver never folds in completion order: float64 sums of the same values in another order differ
        SplittableRandom rnd = new SplittableRandom(1);
        List<PartitionResult> rs = new ArrayList<>();
        for (int p = 0; p < 8; p++) {
            rs.add(random(p, rnd, false));
        }
        GradientAggregator inOrder = copy(rs);
        boolean anyDifferent = false;
        for (int trial = 0; trial < 20 && !anyDifferent; trial++) {
            List<PartitionResult> shuffled = new ArrayList<>(rs);
            Collections.shuffle(shuffled, new Random(trial));
            GradientAggregator other = copy(shuffled);
            for (int i = 0; i < other.gradients().length; i++) {
                for (int k = 0; k < other.gradients()[i].length; k++) {
                    anyDifferent |= other.gradients()[i][k] != inOrder.gradients()[i][k];
                }
            }
        }
        assertTrue(anyDifferent, "reordering partition sums changes low-order bits");
    }
}
