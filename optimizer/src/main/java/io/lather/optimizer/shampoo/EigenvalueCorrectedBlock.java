package io.lather.optimizer.shampoo;

import io.lather.optimizer.blocking.BlockId;
import io.lather.optimizer.config.EigenvalueCorrectedShampooConfig;
import io.lather.optimizer.linalg.EigendecompositionResult;
import io.lather.optimizer.linalg.Eigendecompositions;
import io.lather.optimizer.linalg.FusedElementwise;
import io.lather.optimizer.linalg.Tensors;
import io.lather.optimizer.linalg.WorkBuffers;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Eigenvalue-corrected Shampoo — EShampoo (eigh) and SOAP (QR) — (ALGORITHMS.md §5.6). Per block: factors,
 * eigenvectors Q_j (initially I) and the corrected eigenvalues E of the block's shape (initially 0).
 * <pre>
 *   after the amortized computation:  R = rot(G) with the current Q;  E ← β2·E + w·R⊙R
 *   direction:                         unrot( rot(H) / ((E/bc2)^(1/r) + ε) )
 * </pre>
 * E is reused positionally when Q changes (reference behaviour). With Q = I this is exactly Adam.
 *
 * <p>When H is the bias-corrected β1 filter of G (β1 ≠ 0, β3 = β1), the block also keeps rot(M) — the β1 filter in
 * the current eigenbasis — and updates it with the same lerp as M, from rot(G), which the E update computes anyway.
 * rot(H) = rot(M)/bc1 then costs one element-wise pass instead of a rotation (two of the eight matrix products
 * of a 2-D block's step). Rotation is linear, so this equals rotating H up to rounding. At a step that changes an
 * eigenbasis rot(M) is re-projected by rotating M (the same product count as rotating H that step). rot(M) is part of
 * the exported state ({@value #ROTATED_FILTERED_GRAD}), so a resumed run continues bit for bit.
 */
final class EigenvalueCorrectedBlock extends ShampooBlock {
    private final EigenvalueCorrectedShampooConfig config;
    private final double root;
    private final INDArray[] eigenvectors;
    private final INDArray corrected;
    /** M, the β1-filtered gradient (BlockState's array, updated in place by the optimizer), or null when not tracked. */
    private final INDArray filteredGrad;
    /** rot(M) in the current eigenbasis, or null when rot(H) is computed by rotating H. */
    private final INDArray rotatedFilteredGrad;
    static final String ROTATED_FILTERED_GRAD = "shampoo.rotated_filtered_grad";
    /** Whether this step's amortized computation changed an eigenbasis (reset by {@link #afterAmortized}). */
    private volatile boolean basisChangedThisStep;

    /**
     * @param filteredGrad the block's β1 filter M when H = M/bc1 (β1 ≠ 0 and β3 = β1), else null; the block then keeps
     *     rot(M) and never rotates H
     */
    EigenvalueCorrectedBlock(BlockId id, long[] shape, boolean[] selected, EigenvalueCorrectedShampooConfig config,
            INDArray filteredGrad) {
        super(id, shape, selected, config.statistics());
        this.config = config;
        this.root = config.root(shape.length);
        DataType vt = config.eigenvectorPrecision().dataType();
        this.eigenvectors = new INDArray[modes.length];
        for (int j = 0; j < modes.length; j++) {
            eigenvectors[j] = identity(dim(j), vt);
        }
        this.corrected = Nd4j.zeros(config.correctedEigenvaluePrecision().dataType(), shape);
        this.filteredGrad = filteredGrad;
        this.rotatedFilteredGrad = filteredGrad == null ? null : Nd4j.zeros(vt, shape); // rot(0) = 0 in any basis
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

    /** rot(x) = x ⋆ Q_0 ⋆ Q_1 … (or unrot with Qᵀ when {@code back}) into the work array {@code into}. */
    private INDArray rotate(INDArray x, boolean back, WorkBuffers buffers, String into) {
        return rotate(x, back, buffers, buffers.get(into, rotationType(), shape));
    }

    /** {@link #rotate(INDArray, boolean, WorkBuffers, String)} into {@code out} (of the rotation type, not aliasing x). */
    private INDArray rotate(INDArray x, boolean back, WorkBuffers buffers, INDArray out) {
        if (eigenvectors.length == 0) {
            return out.assign(x);
        }
        return Tensors.contractModes(x, selected, Arrays.asList(eigenvectors), back, out,
                buffers.get(CONTRACTION_WORK, rotationType(), shape));
    }

    /** The type rotations produce: the eigenvectors' (the corrected eigenvalues' when no mode is rotated). */
    private DataType rotationType() {
        return eigenvectors.length == 0 ? corrected.dataType() : eigenvectors[0].dataType();
    }

    @Override
    void afterAmortized(INDArray g, INDArray rotatedSquares, StepContext ctx) {
        // Supplied (partition) squares were measured in the basis the partitions were sent, i.e. the one held before
        // this step. The reference measures R in the basis held after the amortized computation, so at a step that
        // changed a basis the supplied squares are stale: they would pair E's new entries with the old coordinates
        // (and coordinates where E is still ~0 would get steps of size |R|/ε). That step therefore uses the squares of
        // the global gradient in the new basis, as the reference does; every other step uses the partition squares.
        WorkBuffers buffers = ctx.buffers();
        boolean useSupplied = rotatedSquares != null && !basisChangedThisStep;
        INDArray rotatedGradient = useSupplied && rotatedFilteredGrad == null ? null : rotate(g, false, buffers, "ec.rotated");
        if (rotatedFilteredGrad != null) {
            if (basisChangedThisStep) {
                rotate(filteredGrad, false, buffers, rotatedFilteredGrad); // re-project M (not yet updated this step)
            }
            // the optimizer's lerp of M, applied to rot(M) with rot(G) (StepContext#filterWeight)
            lerpInPlace(rotatedFilteredGrad, rotatedGradient, ctx.filterWeight(), buffers);
        }
        basisChangedThisStep = false;
        INDArray rotated = useSupplied ? rotatedSquares : rotatedGradient;
        if (FusedElementwise.ema(corrected, rotated, !useSupplied, ctx.beta2(), ctx.weight())) {
            return;
        }
        INDArray squares = buffers.get("ec.squares", corrected.dataType(), shape);
        if (useSupplied) {
            squares.assign(rotatedSquares);
        } else {
            squares.assign(rotated).muli(squares);
        }
        if (ctx.beta2() != 1.0) {
            corrected.muli(ctx.beta2());
        }
        corrected.addi(squares.muli(ctx.weight()));
    }

    @Override
    boolean needsRotatedSquares() {
        return true;
    }

    @Override
    List<INDArray> eigenbases() {
        return Arrays.asList(eigenvectors.clone());
    }

    @Override
    INDArray precondition(INDArray h, StepContext ctx) {
        WorkBuffers buffers = ctx.buffers();
        INDArray r;
        double hDivisor = 1.0; // rot(H) = r / hDivisor
        if (rotatedFilteredGrad != null) {
            r = buffers.get("ec.rotated", rotationType(), shape);
            hDivisor = ctx.filterBiasCorrection();
        } else {
            r = rotate(h, false, buffers, "ec.rotated");
        }
        INDArray numerator = rotatedFilteredGrad != null ? rotatedFilteredGrad : r;
        if (!(root == 2.0 && FusedElementwise.adamDirection(r, numerator, hDivisor, corrected, ctx.biasCorrection(), ctx.epsilon()))) {
            if (rotatedFilteredGrad != null) {
                r.assign(rotatedFilteredGrad).divi(hDivisor);
            }
            INDArray e = corrected.div(ctx.biasCorrection(), buffers.get("ec.denominator", corrected.dataType(), shape));
            INDArray denom = (root == 2.0 ? Transforms.sqrt(e, false) : Transforms.pow(e, 1.0 / root, false)).addi(ctx.epsilon());
            r.divi(denom.castTo(r.dataType()));
        }
        return rotate(r, true, buffers, DIRECTION).castTo(h.dataType());
    }

    @Override
    void visitState(StateVisitor v) {
        super.visitState(v);
        for (int j = 0; j < modes.length; j++) {
            v.tensor("shampoo.factor_matrices_eigenvectors." + j, eigenvectors[j]);
        }
        v.tensor("shampoo.corrected_eigenvalues", corrected);
        if (rotatedFilteredGrad != null) {
            // absent from states written before Lather kept it: then rebuilt from M (equal to rounding, not bit for bit)
            v.derived(ROTATED_FILTERED_GRAD, rotatedFilteredGrad,
                    () -> rotate(filteredGrad, false, new WorkBuffers(), rotatedFilteredGrad));
        }
    }
}
