package io.lather.spark.train;

import io.lather.models.LossAndGradient;
import io.lather.models.Model;
import io.lather.models.ModelCache;
import io.lather.models.ModelSpec;
import io.lather.models.Precision;
import io.lather.optimizer.blocking.BlockId;
import io.lather.optimizer.shampoo.BlockStatistics;
import io.lather.optimizer.shampoo.StatisticsPlan;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The executor side of one training step, applied to each packed partition: slice the step's batch, run forward and
 * backward on it, return loss and gradient sums (and, in partition statistics mode, the partition gradient's per-block
 * outer products and rotated squares). Everything it captures is serializable plain data; the model is taken from
 * the executor thread's {@link ModelCache}.
 */
final class GradientTask implements Function2<Integer, Iterator<PackedPartition>, Iterator<PartitionResult>> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<ParameterSnapshot> parameters;
    private final ModelSpec spec;
    private final Precision precision;
    private final BatchPlan plan;
    private final long step;
    private final StatisticsPlan statistics;
    private final Broadcast<List<double[][]>> eigenbases;

    GradientTask(Broadcast<ParameterSnapshot> parameters, ModelSpec spec, Precision precision, BatchPlan plan, long step,
            StatisticsPlan statistics, Broadcast<List<double[][]>> eigenbases) {
        this.parameters = parameters;
        this.spec = spec;
        this.precision = precision;
        this.plan = plan;
        this.step = step;
        this.statistics = statistics;
        this.eigenbases = eigenbases;
    }

    @Override
    public Iterator<PartitionResult> call(Integer index, Iterator<PackedPartition> it) {
        List<PartitionResult> out = new ArrayList<>(1);
        while (it.hasNext()) {
            out.add(compute(it.next()));
        }
        return out.iterator();
    }

    private PartitionResult compute(PackedPartition part) {
        long t0 = System.nanoTime();
        int[] positions = plan.positions(part.index(), part.rows(), step);
        float[] x = part.gatherFeatures(positions);
        float[] y = part.gatherLabels(positions);
        long t1 = System.nanoTime();
        Model model = ModelCache.forCurrentThread(spec, precision);
        Map<String, INDArray> params = parameters.value().toParameters(model);
        LossAndGradient lg = model.lossAndGradient(params, x, y, positions.length);
        double[][] grads = new double[params.size()][];
        int i = 0;
        for (double[] g : lg.gradientSumsAsDoubles().values()) {
            grads[i++] = g;
        }
        double[][] stats = statistics == null ? null : partitionStatistics(lg, positions.length);
        long t2 = System.nanoTime();
        return new PartitionResult(part.index(), lg.rows(), lg.lossSum(), lg.correctCount(), grads, stats, t1 - t0, t2 - t1);
    }

    /** Per-block statistics of the partition's mean gradient, flattened in plan order. */
    private double[][] partitionStatistics(LossAndGradient lg, int rows) {
        Map<String, INDArray> mean = new LinkedHashMap<>();
        lg.gradientSums().forEach((name, g) -> mean.put(name, g.div(Math.max(rows, 1))));
        Map<BlockId, List<INDArray>> bases = new LinkedHashMap<>();
        List<StatisticsPlan.BlockTask> tasks = statistics.tasks();
        List<double[][]> flatBases = eigenbases == null ? null : eigenbases.value();
        DataType type = mean.values().iterator().next().dataType();
        for (int k = 0; k < tasks.size(); k++) {
            StatisticsPlan.BlockTask task = tasks.get(k);
            List<INDArray> q = new ArrayList<>();
            if (task.rotatedSquares() && flatBases != null) {
                int j = 0;
                for (int mode = 0; mode < task.selected().length; mode++) {
                    if (task.selected()[mode]) {
                        long d = task.shape()[mode];
                        q.add(Nd4j.createFromArray(flatBases.get(k)[j++]).reshape(d, d).castTo(type));
                    }
                }
            }
            bases.put(task.id(), q);
        }
        Map<BlockId, BlockStatistics> s = statistics.compute(mean, bases);
        List<double[]> flat = new ArrayList<>();
        for (StatisticsPlan.BlockTask task : tasks) {
            BlockStatistics b = s.get(task.id());
            for (INDArray o : b.outerProducts()) {
                flat.add(o.castTo(DataType.DOUBLE).dup('c').data().asDouble());
            }
            if (b.rotatedSquares() != null) {
                flat.add(b.rotatedSquares().castTo(DataType.DOUBLE).dup('c').data().asDouble());
            }
        }
        return flat.toArray(new double[0][]);
    }
}
