package io.lather.optimizer.shampoo;

import io.lather.optimizer.blocking.BlockId;
import io.lather.optimizer.config.PerFactorEigenvalueCorrectedShampooConfig;
import io.lather.optimizer.linalg.EigendecompositionResult;
import io.lather.optimizer.linalg.Eigendecompositions;
import io.lather.optimizer.linalg.MatrixRoots;
import io.lather.optimizer.linalg.Tensors;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-factor eigenvalue correction with an eigenvalue EMA (PR #264, ALGORITHMS.md §5.8) and its KL variant.
 * <pre>
 *   every step, before the amortized work:  E_j ← β2·E_j + w·diag(Q_jᵀ O_j Q_j)   (O_j = this step's outer product,
 *                                           Q_j the basis held before this step; E_j starts at 0)
 *   amortized:                              Q_j ← eigenvectors(F_j/bc2 + εI); E_j untouched (not reset, not rotated)
 *   direction:                              P = H ⋆ Q_j diag(φ(E_j/bc2)) Q_jᵀ, φ = x^(−1/r_j) with ε only as a floor
 * </pre>
 */
final class PerFactorBlock extends ShampooBlock {
    private final PerFactorEigenvalueCorrectedShampooConfig config;
    private final double[] roots;
    private final INDArray[] eigenvectors;
    private final INDArray[] eigenvalues;

    PerFactorBlock(BlockId id, long[] shape, boolean[] selected, double[] roots, PerFactorEigenvalueCorrectedShampooConfig config) {
        super(id, shape, selected, config.statistics());
        this.config = config;
        this.roots = roots.clone();
        DataType vt = config.eigenvectorPrecision().dataType();
        DataType lt = config.eigenvaluePrecision().dataType();
        this.eigenvectors = new INDArray[modes.length];
        this.eigenvalues = new INDArray[modes.length];
        for (int j = 0; j < modes.length; j++) {
            eigenvectors[j] = identity(dim(j), vt);
            eigenvalues[j] = Nd4j.zeros(lt, dim(j));
        }
    }

    @Override
    void afterFactorUpdate(INDArray[] outer, StepContext ctx) {
        for (int j = 0; j < modes.length; j++) {
            INDArray q = eigenvectors[j];
            // diag(QᵀOQ)_a = Σ_b (OQ)[b, a]·Q[b, a]: one GEMM and a column-wise dot product
            INDArray oq = Tensors.matmul(outer[j].castTo(q.dataType()), q);
            INDArray rayleigh = oq.muli(q).sum(0).castTo(eigenvalues[j].dataType());
            if (ctx.beta2() != 1.0) {
                eigenvalues[j].muli(ctx.beta2());
            }
            eigenvalues[j].addi(rayleigh.muli(ctx.weight()));
        }
    }

    @Override
    void computeFactor(int j, INDArray a, StepContext ctx) {
        EigendecompositionResult r = Eigendecompositions.compute(a, ctx.epsilon(), config.eigendecomposition(),
                eigenvectors[j].castTo(DataType.DOUBLE), ctx.solver());
        eigenvectors[j] = requireFinite(r.eigenvectors(), j, ctx, "eigenvectors").castTo(eigenvectors[j].dataType());
        if (r.recomputed()) {
            ctx.counters().computed++;
        } else {
            ctx.counters().skipped++;
        }
    }

    private INDArray perModeMatrix(int j, double biasCorrection, double epsilon) {
        return MatrixRoots.inverseRootFromEigenpairs(eigenvalues[j].castTo(DataType.DOUBLE).div(biasCorrection), eigenvectors[j],
                roots[j], epsilon, config.rankDeficiency(), config.eigenvaluePrecision()).castTo(eigenvectors[j].dataType());
    }

    @Override
    INDArray precondition(INDArray h, StepContext ctx) {
        List<INDArray> mats = new ArrayList<>();
        for (int j = 0; j < modes.length; j++) {
            mats.add(perModeMatrix(j, ctx.biasCorrection(), ctx.epsilon()));
        }
        return applyPerMode(h, mats);
    }

    /** KL transform, skipped while the first factor's eigenvalue EMA is still exactly zero (the first update). */
    @Override
    boolean klActive() {
        return config.kl() && modes.length > 0 && eigenvalues[0].amaxNumber().doubleValue() != 0.0;
    }

    @Override
    INDArray klMatrix(int j, StepContext ctx) {
        return perModeMatrix(j, ctx.previousBiasCorrection(), ctx.epsilon());
    }

    @Override
    void visitState(StateVisitor v) {
        super.visitState(v);
        for (int j = 0; j < modes.length; j++) {
            v.tensor("shampoo.factor_matrices_eigenvectors." + j, eigenvectors[j]);
            v.tensor("shampoo.factor_matrices_eigenvalues." + j, eigenvalues[j]);
        }
    }
}
