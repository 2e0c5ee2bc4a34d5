package io.lather.optimizer.shampoo;

import io.lather.optimizer.blocking.BlockId;
import io.lather.optimizer.config.PerFactorEigenvalueCorrectedShampooConfig;
import io.lather.optimizer.linalg.EigendecompositionResult;
import io.lather.optimizer.linalg.Eigendecompositions;
import io.lather.optimizer.linalg.FusedElementwise;
import io.lather.optimizer.linalg.MatrixRoots;
import io.lather.optimizer.linalg.Tensors;
import io.lather.optimizer.linalg.WorkBuffers;
import java.util.Arrays;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastMulOp;
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
 *
 * <p>A matrix block with both modes preconditioned and H = M/bc1 (β1 ≠ 0, β3 = β1, not KL) keeps rot(M) = Q_0ᵀ M Q_1,
 * as {@link EigenvalueCorrectedBlock} does, and computes rot(G) = Q_0ᵀ G Q_1 every step. rot(G) serves three uses:
 * rot(M)'s lerp, and both eigenvalue EMAs, since for orthogonal Q_0, Q_1 diag(Q_0ᵀ G Gᵀ Q_0) = row sums of rot(G)⊙rot(G)
 * and diag(Q_1ᵀ Gᵀ G Q_1) = its column sums. Two rotations replace the O·Q products and the rotation of H (four
 * products) — equal up to rounding. With partition-supplied outer products the EMAs keep the O·Q form.
 */
final class PerFactorBlock extends ShampooBlock {
    private final PerFactorEigenvalueCorrectedShampooConfig config;
    private final double[] roots;
    private final INDArray[] eigenvectors;
    private final INDArray[] eigenvalues;
    /** M, the β1 filter (BlockState's array), when rot(M) is kept; else null. */
    private final INDArray filteredGrad;
    /** rot(M) in the current eigenbases, or null. */
    private final INDArray rotatedFilteredGrad;
    /** Whether this step's amortized computation changed an eigenbasis (reset by {@link #afterAmortized}). */
    private volatile boolean basisChangedThisStep;

    /** @param filteredGrad the block's β1 filter M when H = M/bc1, else null */
    PerFactorBlock(BlockId id, long[] shape, boolean[] selected, double[] roots, PerFactorEigenvalueCorrectedShampooConfig config,
            INDArray filteredGrad) {
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
        boolean tracked = filteredGrad != null && shape.length == 2 && modes.length == 2 && !config.kl();
        this.filteredGrad = tracked ? filteredGrad : null;
        this.rotatedFilteredGrad = tracked ? Nd4j.zeros(vt, shape) : null; // rot(0) = 0 in any basis
    }

    /** rot(x) = Q_0ᵀ x Q_1 … into {@code out} (eigenvector type). */
    private INDArray rotate(INDArray x, WorkBuffers buffers, INDArray out) {
        DataType t = eigenvectors[0].dataType();
        return Tensors.contractModes(x, selected, Arrays.asList(eigenvectors), false, out, buffers.get(CONTRACTION_WORK, t, shape));
    }

    private INDArray rotatedGradient(INDArray g, WorkBuffers buffers) {
        return rotate(g, buffers, buffers.get("perfactor.rotated_gradient", eigenvectors[0].dataType(), shape));
    }

    private void emaUpdate(int j, INDArray rayleigh, StepContext ctx) {
        INDArray x = rayleigh.reshape(dim(j)).castTo(eigenvalues[j].dataType());
        if (ctx.beta2() != 1.0) {
            eigenvalues[j].muli(ctx.beta2());
        }
        eigenvalues[j].addi(x.muli(ctx.weight()));
    }

    @Override
    void afterFactorUpdate(INDArray g, INDArray[] outer, boolean outerOfG, StepContext ctx) {
        // rot(G) in the basis held before this step: for rot(M)'s lerp (unless an amortized step may change the basis
        // first, see afterAmortized) and for the eigenvalue EMAs when the outer products are G's own
        boolean needed = rotatedFilteredGrad != null && (!ctx.amortize() || outerOfG);
        INDArray rg = needed ? rotatedGradient(g, ctx.buffers()) : null;
        if (rg != null && !ctx.amortize()) {
            lerpInPlace(rotatedFilteredGrad, rg, ctx.filterWeight(), ctx.buffers()); // rot(M)'s share of M's lerp // at an amortized step: after it, in the basis it leaves (afterAmortized)
        }
        if (rg != null && outerOfG) {
            // diag(Q_0ᵀ G Gᵀ Q_0) and diag(Q_1ᵀ Gᵀ G Q_1): row and column sums of rot(G)⊙rot(G), in one fused pass (measured
            // at 1024², float32: 0.55 ms, against 1.7–2.1 ms for the squares and two GEMVs with ones that remain the fallback)
            DataType t = rg.dataType();
            WorkBuffers b = ctx.buffers();
            INDArray rowSums = b.get("perfactor.row_sums", t, shape[0], 1);
            INDArray columnSums = b.get("perfactor.column_sums", t, 1, shape[1]);
            if (FusedElementwise.rowAndColumnSumsOfSquares(rg, rowSums, columnSums)) {
                emaUpdate(0, rowSums, ctx);
                emaUpdate(1, columnSums, ctx);
                return;
            }
            INDArray squares = b.get("perfactor.squares", t, shape).assign(rg).muli(rg);
            INDArray onesRows = b.get("perfactor.ones_rows", t, 1, shape[0]).assign(1.0);
            INDArray onesCols = b.get("perfactor.ones_cols", t, shape[1], 1).assign(1.0);
            emaUpdate(0, Tensors.gemm(squares, false, onesCols, false, rowSums), ctx);
            emaUpdate(1, Tensors.gemm(onesRows, false, squares, false, columnSums), ctx);
            return;
        }
        for (int j = 0; j < modes.length; j++) {
            INDArray q = eigenvectors[j];
            // diag(QᵀOQ)_a = Σ_b (OQ)[b, a]·Q[b, a]: one GEMM and a column-wise dot product
            INDArray oq = Tensors.gemm(outer[j].castTo(q.dataType()), false, q, false,
                    ctx.buffers().get("perfactor.oq", q.dataType(), dim(j), dim(j)));
            // column sums as 1ᵀ·(OQ⊙Q), a GEMV: ND4J's sum(0) over a 1024² array is ~7× slower than this
            INDArray ones = ctx.buffers().get("perfactor.ones", q.dataType(), 1, dim(j)).assign(1.0);
            emaUpdate(j, Tensors.gemm(ones, false, oq.muli(q), false, ctx.buffers().get("perfactor.rayleigh", q.dataType(), 1, dim(j))), ctx);
        }
    }

    @Override
    void afterAmortized(INDArray g, INDArray rotatedSquares, StepContext ctx) {
        if (rotatedFilteredGrad != null && ctx.amortize()) {
            if (basisChangedThisStep) {
                rotate(filteredGrad, ctx.buffers(), rotatedFilteredGrad); // re-project M (not yet updated this step)
            }
            lerpInPlace(rotatedFilteredGrad, rotatedGradient(g, ctx.buffers()), ctx.filterWeight(), ctx.buffers());
        }
        basisChangedThisStep = false;
    }

    @Override
    boolean computeFactor(int j, INDArray a, StepContext ctx, WorkBuffers scratch) {
        EigendecompositionResult r = Eigendecompositions.compute(a, ctx.epsilon(), config.eigendecomposition(),
                warmStart(config.eigendecomposition(), eigenvectors[j]), ctx.solver(), scratch);
        // the result may live in scratch buffers: keep a copy
        eigenvectors[j] = requireFinite(Tensors.rowMajorCopy(r.eigenvectors(), eigenvectors[j].dataType()), j, ctx, "eigenvectors");
        if (r.recomputed()) {
            basisChangedThisStep = true;
        }
        return r.recomputed();
    }

    private INDArray perModeMatrix(int j, double biasCorrection, double epsilon) {
        return MatrixRoots.inverseRootFromEigenpairs(eigenvalues[j].castTo(DataType.DOUBLE).div(biasCorrection), eigenvectors[j],
                roots[j], epsilon, config.rankDeficiency(), config.eigenvaluePrecision()).castTo(eigenvectors[j].dataType());
    }

    /**
     * P = H ⋆ Q_j diag(φ_j) Q_jᵀ applied as rotate–scale–unrotate (the performance hint of ALGORITHMS.md §10.10): rotate H
     * into the eigenbases, scale mode j by φ_j = φ(E_j/bc2), rotate back. Same result as forming the per-mode matrices
     * (what the reference does every step) up to rounding, with 2·N·d_j instead of d_j³ + N·d_j multiply-adds per mode
     * and all of it in the eigenvectors' precision.
     */
    @Override
    INDArray precondition(INDArray h, StepContext ctx) {
        if (modes.length == 0) {
            return applyPerMode(h, List.of(), ctx.buffers());
        }
        WorkBuffers buffers = ctx.buffers();
        DataType t = eigenvectors[0].dataType();
        List<INDArray> q = Arrays.asList(eigenvectors);
        INDArray work = buffers.get(CONTRACTION_WORK, t, shape);
        INDArray r = rotatedFilteredGrad != null
                ? buffers.get("perfactor.rotated", t, shape).assign(rotatedFilteredGrad).divi(ctx.filterBiasCorrection()) // rot(H)
                : Tensors.contractModes(h, selected, q, false, buffers.get("perfactor.rotated", t, shape), work);
        INDArray[] phi = new INDArray[modes.length];
        for (int j = 0; j < modes.length; j++) {
            phi[j] = Nd4j.createFromArray(MatrixRoots.inverseRootScaling(eigenvalues[j].castTo(DataType.DOUBLE).div(ctx.biasCorrection()),
                    roots[j], ctx.epsilon(), config.rankDeficiency(), config.eigenvaluePrecision())).castTo(t);
        }
        if (shape.length == 2 && modes.length == 2) {
            // a matrix block (the common case): scale by the outer product φ_0·φ_1ᵀ (a rank-1 GEMM and one element-wise
            // product; ND4J's row and column broadcasts on a 1024² array take 2–5 ms each)
            r.muli(Tensors.gemm(phi[0].reshape(shape[0], 1), false, phi[1].reshape(1, shape[1]), false,
                    buffers.get("perfactor.scaling", t, shape)));
        } else {
            for (int j = 0; j < modes.length; j++) {
                Nd4j.getExecutioner().exec(new BroadcastMulOp(r, phi[j], r, modes[j]));
            }
        }
        return Tensors.contractModes(r, selected, q, true, buffers.get(DIRECTION, t, shape), work).castTo(h.dataType());
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
        if (rotatedFilteredGrad != null) {
            // absent from states written before Lather kept it: then rebuilt from M (equal to rounding, not bit for bit)
            v.derived(EigenvalueCorrectedBlock.ROTATED_FILTERED_GRAD, rotatedFilteredGrad,
                    () -> rotate(filteredGrad, new WorkBuffers(), rotatedFilteredGrad));
        }
    }
}
