package io.lather.optimizer.shampoo;

import io.lather.optimizer.blocking.BlockId;
import io.lather.optimizer.config.EigendecomposedShampooConfig;
import io.lather.optimizer.linalg.EigendecompositionResult;
import io.lather.optimizer.linalg.Eigendecompositions;
import io.lather.optimizer.linalg.MatrixRoots;
import io.lather.optimizer.linalg.Tensors;
import io.lather.optimizer.linalg.WorkBuffers;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Eigendecomposed Shampoo (ALGORITHMS.md §5.5) and its KL variant: caches eigenpairs (λ_j, Q_j) of
 * F_j/bc2 + εI, initially (1, I); P = H ⋆ Q_j diag(φ(λ_j)) Q_jᵀ. The per-mode matrices only change at
 * amortized steps, so they are formed once per change and cached (the reference forms them every step).
 */
final class EigendecomposedBlock extends ShampooBlock {
    private final EigendecomposedShampooConfig config;
    private final double[] roots;
    private final INDArray[] eigenvectors;
    private final INDArray[] eigenvalues;
    private final INDArray[] perMode;
    private double cachedEpsilon = Double.NaN;

    EigendecomposedBlock(BlockId id, long[] shape, boolean[] selected, double[] roots, EigendecomposedShampooConfig config) {
        super(id, shape, selected, config.statistics());
        this.config = config;
        this.roots = roots.clone();
        DataType vt = config.eigenvectorPrecision().dataType();
        DataType lt = config.eigenvaluePrecision().dataType();
        this.eigenvectors = new INDArray[modes.length];
        this.eigenvalues = new INDArray[modes.length];
        this.perMode = new INDArray[modes.length];
        for (int j = 0; j < modes.length; j++) {
            eigenvectors[j] = identity(dim(j), vt);
            eigenvalues[j] = Nd4j.ones(lt, dim(j));
        }
    }

    @Override
    boolean computeFactor(int j, INDArray a, StepContext ctx, WorkBuffers scratch) {
        EigendecompositionResult r = Eigendecompositions.compute(a, ctx.epsilon(), config.eigendecomposition(),
                warmStart(config.eigendecomposition(), eigenvectors[j]), ctx.solver(), scratch);
        requireFinite(r.eigenvalues(), j, ctx, "eigenvalues");
        // the result may live in scratch buffers: keep copies
        INDArray q = requireFinite(Tensors.rowMajorCopy(r.eigenvectors(), eigenvectors[j].dataType()), j, ctx, "eigenvectors");
        eigenvalues[j] = Tensors.rowMajorCopy(r.eigenvalues(), eigenvalues[j].dataType());
        eigenvectors[j] = q;
        perMode[j] = null;
        return r.recomputed();
    }

    private INDArray perModeMatrix(int j, double epsilon) {
        if (epsilon != cachedEpsilon) {
            java.util.Arrays.fill(perMode, null);
            cachedEpsilon = epsilon;
        }
        if (perMode[j] == null) {
            perMode[j] = MatrixRoots.inverseRootFromEigenpairs(eigenvalues[j], eigenvectors[j], roots[j], epsilon,
                    config.rankDeficiency(), config.eigenvaluePrecision()).castTo(eigenvectors[j].dataType());
        }
        return perMode[j];
    }

    @Override
    INDArray precondition(INDArray h, StepContext ctx) {
        List<INDArray> mats = new ArrayList<>();
        for (int j = 0; j < modes.length; j++) {
            mats.add(perModeMatrix(j, ctx.epsilon()));
        }
        return applyPerMode(h, mats, ctx.buffers());
    }

    @Override
    boolean klActive() {
        return config.kl();
    }

    @Override
    INDArray klMatrix(int j, StepContext ctx) {
        return perModeMatrix(j, ctx.epsilon());
    }

    @Override
    void visitState(StateVisitor v) {
        super.visitState(v);
        for (int j = 0; j < modes.length; j++) {
            v.tensor("shampoo.factor_matrices_eigenvectors." + j, eigenvectors[j]);
            v.tensor("shampoo.factor_matrices_eigenvalues." + j, eigenvalues[j]);
        }
    }

    /** Imported eigenpairs invalidate the cached per-mode matrices. */
    @Override
    void afterImport() {
        java.util.Arrays.fill(perMode, null);
    }
}
