package io.lather.optimizer.shampoo;

import io.lather.optimizer.blocking.BlockSpec;
import io.lather.optimizer.blocking.ParameterBlocking;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Everything the Distributed-Shampoo step keeps for one block (ALGORITHMS.md §3.1, §8.1). */
final class BlockState {
    final ParameterBlocking parameter;
    final BlockSpec spec;
    /** β1 EMA of gradients (null when β1 = 0). */
    INDArray filteredGrad;
    /** Classic momentum buffer (null unless configured). */
    INDArray momentumBuffer;
    /** GPA / Schedule-Free z sequence (null unless configured). */
    INDArray weightBuffer;
    /** Second moment of the diagonal main preconditioner or of the grafting method (null for SGD / none). */
    INDArray diagonal;
    /** Shampoo state (null when the main preconditioner is diagonal). */
    ShampooBlock shampoo;
    /**
     * This step's (L2-augmented) gradient of the block when it must be copied (L2 decay, or a block that is not a
     * contiguous part of the caller's array); a reused work array, not state.
     */
    private INDArray gradient;

    BlockState(ParameterBlocking parameter, BlockSpec spec) {
        this.parameter = parameter;
        this.spec = spec;
    }

    /** The block's gradient work array (allocated on first use, in the parameter's type). */
    INDArray gradient(org.nd4j.linalg.api.buffer.DataType type) {
        if (gradient == null || gradient.dataType() != type) {
            gradient = org.nd4j.linalg.factory.Nd4j.createUninitialized(type, spec.shape(), 'c');
        }
        return gradient;
    }

    void visitState(StateVisitor v) {
        if (filteredGrad != null) {
            v.tensor("filtered_grad", filteredGrad);
        }
        if (momentumBuffer != null) {
            v.tensor("momentum_buffer", momentumBuffer);
        }
        if (weightBuffer != null) {
            v.tensor("weight_buffer", weightBuffer);
        }
        if (diagonal != null) {
            v.tensor("adagrad", diagonal);
        }
        if (shampoo != null) {
            shampoo.visitState(v);
        }
    }
}
