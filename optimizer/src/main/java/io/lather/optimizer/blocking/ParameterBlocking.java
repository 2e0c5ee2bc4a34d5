package io.lather.optimizer.blocking;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The blocking of one parameter: its shape, merged shape and blocks, with views into parameter-shaped arrays.
 *
 * @param name parameter name
 * @param shape original shape
 * @param mergedShape shape after squeezing and merging
 * @param blocks blocks in row-major grid order
 */
public record ParameterBlocking(String name, long[] shape, long[] mergedShape, List<BlockSpec> blocks) {

    /** Blocks the parameter with threshold T and target dimensionality D. */
    public static ParameterBlocking of(String name, long[] shape, long threshold, int target) {
        long[] merged = Blocking.merge(shape, threshold, target);
        return new ParameterBlocking(name, shape.clone(), merged, List.copyOf(Blocking.split(name, merged, threshold)));
    }

    /** Whether the parameter has no entries (its gradient is then always treated as absent). */
    public boolean isEmpty() {
        return Arrays.stream(shape).anyMatch(d -> d == 0);
    }

    /**
     * A view of {@code block} inside {@code array} (which must have the parameter's shape and be c-contiguous, so
     * that the merged reshape is a view). Writes to the view write through to the array.
     */
    public INDArray view(INDArray array, BlockSpec block) {
        INDArray merged = array.reshape(mergedShape);
        INDArrayIndex[] idx = new INDArrayIndex[mergedShape.length];
        boolean whole = true;
        for (int i = 0; i < idx.length; i++) {
            idx[i] = NDArrayIndex.interval(block.offset()[i], block.offset()[i] + block.shape()[i]);
            whole &= block.offset()[i] == 0 && block.shape()[i] == mergedShape[i];
        }
        return whole ? merged : merged.get(idx);
    }
}
