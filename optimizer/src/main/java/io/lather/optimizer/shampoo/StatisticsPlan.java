package io.lather.optimizer.shampoo;

import io.lather.optimizer.blocking.BlockId;
import io.lather.optimizer.blocking.BlockSpec;
import io.lather.optimizer.blocking.ParameterBlocking;
import io.lather.optimizer.linalg.Tensors;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a data partition must compute so that the driver can update the Shampoo statistics from partition gradients
 * ({@link BlockStatistics}): the blocking of every parameter and, per block, its preconditioned modes and whether
 * rotated squares are needed. Plain serializable data, so it can be broadcast to Spark executors; the computation
 * ({@link #compute}) is pure ND4J and runs wherever the partition gradient is.
 */
public final class StatisticsPlan implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One block's task. */
    public record BlockTask(String parameter, int index, long[] offset, long[] shape, boolean[] selected, boolean rotatedSquares)
            implements Serializable {
        /** The block's id. */
        public BlockId id() {
            return new BlockId(parameter, index);
        }
    }

    private final LinkedHashMap<String, long[]> mergedShapes;
    private final List<BlockTask> tasks;

    StatisticsPlan(LinkedHashMap<String, long[]> mergedShapes, List<BlockTask> tasks) {
        this.mergedShapes = mergedShapes;
        this.tasks = List.copyOf(tasks);
    }

    /** Every block's task, in parameter then block order (the order reductions use). */
    public List<BlockTask> tasks() {
        return tasks;
    }

    /**
     * The statistics of one partition gradient for every block.
     *
     * @param gradients partition gradient per parameter (parameter shapes)
     * @param eigenbases the optimizer's current eigenvectors per block (required when a task needs rotated squares)
     * @return per block: the outer products (and rotated squares), in the gradients' data type
     */
    public Map<BlockId, BlockStatistics> compute(Map<String, INDArray> gradients, Map<BlockId, List<INDArray>> eigenbases) {
        Map<BlockId, BlockStatistics> out = new LinkedHashMap<>();
        for (BlockTask task : tasks) {
            INDArray grad = gradients.get(task.parameter());
            ParameterBlocking pb = new ParameterBlocking(task.parameter(), grad.shape(), mergedShapes.get(task.parameter()), List.of());
            INDArray g = pb.view(grad, new BlockSpec(task.id(), task.offset(), task.shape())).dup('c');
            List<INDArray> outer = new ArrayList<>();
            for (int mode = 0; mode < task.selected().length; mode++) {
                if (task.selected()[mode]) {
                    outer.add(Tensors.outerProduct(g, mode));
                }
            }
            INDArray rotated = null;
            if (task.rotatedSquares()) {
                List<INDArray> q = eigenbases.get(task.id());
                INDArray r = q.isEmpty() ? g.dup() : Tensors.contractModes(g, task.selected(), q, false).castTo(g.dataType());
                rotated = r.muli(r);
            }
            out.put(task.id(), new BlockStatistics(outer.toArray(new INDArray[0]), rotated));
        }
        return out;
    }
}
