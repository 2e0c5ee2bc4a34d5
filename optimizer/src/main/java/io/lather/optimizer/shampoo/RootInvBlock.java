package io.lather.optimizer.shampoo;

import io.lather.optimizer.blocking.BlockId;
import io.lather.optimizer.config.RootInvShampooConfig;
import io.lather.optimizer.linalg.MatrixRoots;
import io.lather.optimizer.linalg.WorkBuffers;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Root-inverse Shampoo (ALGORITHMS.md §5.4) and its KL variant: caches X_j = (F_j/bc2 + εI)^(−1/r_j),
 * initially I; P = H ⋆ X_0 ⋆ X_1 ….
 */
final class RootInvBlock extends ShampooBlock {
    private final RootInvShampooConfig config;
    private final double[] roots;
    private final INDArray[] inverseRoots;

    RootInvBlock(BlockId id, long[] shape, boolean[] selected, double[] roots, RootInvShampooConfig config) {
        super(id, shape, selected, config.statistics());
        this.config = config;
        this.roots = roots.clone();
        DataType t = config.inverseRootPrecision().dataType();
        this.inverseRoots = new INDArray[modes.length];
        for (int j = 0; j < modes.length; j++) {
            inverseRoots[j] = identity(dim(j), t);
        }
    }

    @Override
    boolean computeFactor(int j, INDArray a, StepContext ctx, WorkBuffers scratch) {
        INDArray x = MatrixRoots.inverseRoot(a, roots[j], config.rootComputation(), ctx.epsilon(), ctx.solver(), scratch);
        // x may be a scratch buffer: copy it into the block's own array (converting to its precision), allocating nothing
        inverseRoots[j].assign(requireFinite(x, j, ctx, "inverse root"));
        return true;
    }

    @Override
    INDArray precondition(INDArray h, StepContext ctx) {
        return applyPerMode(h, Arrays.asList(inverseRoots), ctx.buffers());
    }

    @Override
    boolean klActive() {
        return config.kl();
    }

    @Override
    INDArray klMatrix(int j, StepContext ctx) {
        return inverseRoots[j];
    }

    @Override
    void visitState(StateVisitor v) {
        super.visitState(v);
        for (int j = 0; j < modes.length; j++) {
            v.tensor("shampoo.inv_factor_matrices." + j, inverseRoots[j]);
        }
    }
}
