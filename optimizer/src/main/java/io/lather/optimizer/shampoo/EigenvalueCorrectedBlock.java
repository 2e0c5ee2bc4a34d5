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
 */
final class EigenvalueCorrectedBlock extends ShampooBlock {
    private final EigenvalueCorrectedShampooConfig config;
    private final double root;
    private final INDArray[] eigenvectors;
    private final INDArray corrected;
    /** Whether this step's amortized computation changed an eigenbasis (reset by {@link #afterAmortized}). */
    private volatile boolean basisChangedThisStep;

    EigenvalueCorrectedBlock(BlockId id, long[] shape, boolean[] selected, EigenvalueCorrectedShampooConfig config) {
        super(id, shape, selected, config.statistics());
        this.config = config;
        this.root = config.root(shape.length);
        DataType vt = config.eigenvectorPrecision().dataType();
        this.eigenvectors = new INDArray[modes.length];
        for (int j = 0; j < modes.length; j++) {
            eigenvectors[j] = identity(dim(j), vt);
        }
        this.corrected = Nd4j.zeros(config.correctedEigenvaluePrecision().dataType(), shape);
    }

    @Override
    boolean computeFactor(int j, INDArray a, StepContext ctx) {
        EigendecompositionResult r = Eigendecompositions.compute(a, ctx.epsilon(), config.eigendecomposition(),
                warmStart(config.eigendecomposition(), eigenvectors[j]), ctx.solver());
        eigenvectors[j] = requireFinite(r.eigenvectors(), j, ctx, "eigenvectors").castTo(eigenvectors[j].dataType());
        if (r.recomputed()) {
            basisChangedThisStep = true;
        }
        return r.recomputed();
    }

    /** rot(x) = x ⋆ Q_0 ⋆ Q_1 … (or unrot with Qᵀ when {@code back}) into the work array {@code into}. */
    private INDArray rotate(INDArray x, boolean back, WorkBuffers buffers, String into) {
        if (eigenvectors.length == 0) {
            return buffers.get(into, corrected.dataType(), shape).assign(x);
        }
        DataType t = eigenvectors[0].dataType();
        return Tensors.contractModes(x, selected, Arrays.asList(eigenvectors), back, buffers.get(into, t, shape),
                buffers.get(CONTRACTION_WORK, t, shape));
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
        INDArray rotated = useSupplied ? rotatedSquares : rotate(g, false, buffers, "ec.rotated");
        basisChangedThisStep = false;
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
        INDArray r = rotate(h, false, buffers, "ec.rotated");
        if (!(root == 2.0 && FusedElementwise.adamDirection(r, r, corrected, ctx.biasCorrection(), ctx.epsilon()))) {
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
    }
}
