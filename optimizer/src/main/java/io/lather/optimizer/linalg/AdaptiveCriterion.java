package io.lather.optimizer.linalg;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The eigenbasis-staleness test of "Purifying Shampoo" (Eschenhagen et al., arXiv 2506.03595, NeurIPS 2025),
 * ALGORITHMS.md §6.6. With B = QᵀAQ for the previous eigenvectors Q, the stale basis with refreshed Rayleigh
 * quotients A' = Q diag(B) Qᵀ has relative error ‖A − A'‖_F/‖A‖_F = ‖B − diag B‖_F/‖B‖_F; the recomputation
 * is skipped when that is ≤ τ.
 */
public final class AdaptiveCriterion {
    private AdaptiveCriterion() {}

    /**
     * The relative off-diagonal mass √(‖B‖²_F − ‖diag B‖²₂)/‖B‖_F, computed in the reference's subtraction form
     * (NaN when rounding makes the radicand negative, which never counts as "met"); 0/0 gives 0 (the zero matrix
     * is perfectly diagonal).
     */
    public static double relativeOffDiagonal(INDArray b) {
        double n = b.norm2Number().doubleValue();
        double dg = Nd4j.diag(b).norm2Number().doubleValue();
        double off = Math.sqrt(n * n - dg * dg);
        if (n == 0) {
            return Double.isNaN(off) ? Double.NaN : 0.0;
        }
        return off / n;
    }

    /** Whether the basis is good enough to keep: off ≤ τ·‖B‖_F (as in the reference, evaluated without dividing). */
    public static boolean isMet(INDArray b, double tolerance) {
        double n = b.norm2Number().doubleValue();
        double dg = Nd4j.diag(b).norm2Number().doubleValue();
        double off = Math.sqrt(n * n - dg * dg);
        return off <= tolerance * n;
    }
}
