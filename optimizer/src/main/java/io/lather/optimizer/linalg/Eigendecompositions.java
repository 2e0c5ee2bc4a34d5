package io.lather.optimizer.linalg;

import io.lather.optimizer.config.EigendecompositionConfig;
import io.lather.optimizer.config.RankDeficiencyConfig;
import java.util.Arrays;
import java.util.Comparator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The eigendecomposition wrapper of ALGORITHMS.md §6.4–§6.5, in float64: optional ε-ridge, the adaptive
 * criterion against the warm-start basis, and either a full eigh or the warm-started QR algorithm.
 */
public final class Eigendecompositions {
    private Eigendecompositions() {}

    /**
     * @param a symmetric float64 matrix (the bias-corrected, possibly trace-scaled factor)
     * @param epsilon ridge added first when the rank-deficiency config is a perturbation applied before
     * @param config eigh or QR
     * @param warmStart previous eigenvectors (float64 n×n; required by QR and by a non-zero tolerance)
     * @param solver eigensolver for eigh
     */
    public static EigendecompositionResult compute(INDArray a, double epsilon, EigendecompositionConfig config,
            INDArray warmStart, SymmetricEigensolver solver) {
        return compute(a, epsilon, config, warmStart, solver, null);
    }

    /**
     * {@link #compute(INDArray, double, EigendecompositionConfig, INDArray, SymmetricEigensolver)} with the ridge copy and
     * the eigensolver's working memory in {@code scratch} (when not null): the result's arrays may then be views of
     * scratch buffers, valid until the next call with the same scratch.
     */
    public static EigendecompositionResult compute(INDArray a, double epsilon, EigendecompositionConfig config,
            INDArray warmStart, SymmetricEigensolver solver, WorkBuffers scratch) {
        INDArray ar = ridge(a, epsilon, config.rankDeficiency(), scratch);
        if (config instanceof EigendecompositionConfig.Eigh eigh) {
            if (eigh.tolerance() != 0.0) {
                requireWarmStart(warmStart, "a non-zero adaptive tolerance");
                INDArray b = Tensors.congruence(warmStart, ar);
                if (AdaptiveCriterion.isMet(b, eigh.tolerance())) {
                    return new EigendecompositionResult(Nd4j.diag(b).dup(), warmStart, false, 0);
                }
            }
            Eigenpairs e = solver.eigh(ar, eigh.retryWithAlternativeSolver(), scratch);
            return new EigendecompositionResult(e.eigenvalues(), e.eigenvectors(), true, 0);
        }
        EigendecompositionConfig.Qr qr = (EigendecompositionConfig.Qr) config;
        requireWarmStart(warmStart, "the QR algorithm");
        return qrAlgorithm(ar, warmStart, qr.maxIterations(), qr.tolerance());
    }

    /**
     * Whether {@link #compute} reads its warm start (the QR algorithm, or eigh with a non-zero adaptive tolerance); callers
     * skip converting the previous eigenvectors to float64 when it does not.
     */
    public static boolean usesWarmStart(EigendecompositionConfig config) {
        return !(config instanceof EigendecompositionConfig.Eigh eigh) || eigh.tolerance() != 0.0;
    }

    /** A + εI (a float64 copy) when perturbing before the computation, otherwise A in float64 (A itself if it is). */
    public static INDArray ridge(INDArray a, double epsilon, RankDeficiencyConfig rank) {
        return ridge(a, epsilon, rank, null);
    }

    /** {@link #ridge(INDArray, double, RankDeficiencyConfig)} with the copy in {@code scratch}'s "ridge" buffer when given. */
    public static INDArray ridge(INDArray a, double epsilon, RankDeficiencyConfig rank, WorkBuffers scratch) {
        INDArray ar = a.castTo(DataType.DOUBLE);
        if (epsilon != 0.0 && rank instanceof RankDeficiencyConfig.Perturbation p && p.perturbBeforeComputation()) {
            int n = Tensors.squareSize(ar);
            ar = WorkBuffers.getOrFresh(scratch, "ridge", DataType.DOUBLE, n, n).assign(ar);
            for (int i = 0; i < n; i++) {
                ar.putScalar(i, i, ar.getDouble(i, i) + epsilon);
            }
        }
        return ar;
    }

    /**
     * Warm-started QR algorithm: B ← VᵀAV; while it &lt; I and the criterion fails, (Q_k, R_k) = qr(B),
     * B ← R_k Q_k, V ← V Q_k; finally sort diag(B) ascending (stable) and permute V's columns likewise.
     * One QR step on VᵀAV is one step of orthogonal iteration on A started at V.
     */
    public static EigendecompositionResult qrAlgorithm(INDArray a, INDArray v0, int maxIterations, double tolerance) {
        KernelSelfCheck.ensureVerified();
        int n = Tensors.squareSize(a);
        INDArray v = v0.castTo(DataType.DOUBLE);
        INDArray b = Tensors.congruence(v, a);
        int it = 0;
        while (it < maxIterations && !AdaptiveCriterion.isMet(b, tolerance)) {
            double[] qk = Tensors.toRowMajor(b);
            double[] rk = new double[n * n];
            int info = Lapack.qr(qk, n, rk);
            if (info != 0) {
                throw new MatrixFunctionFailure("LAPACK QR factorisation failed on a " + n + "x" + n + " matrix (info = " + info + ")");
            }
            INDArray q = Tensors.fromRowMajor(qk, n, n);
            INDArray r = Tensors.fromRowMajor(rk, n, n);
            b = Tensors.matmul(r, q);
            v = Tensors.matmul(v, q);
            it++;
        }
        double[] diag = Nd4j.diag(b).dup().toDoubleVector();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> diag[i])); // Arrays.sort on objects is stable
        double[] sorted = new double[n];
        INDArray vs = Nd4j.createUninitialized(DataType.DOUBLE, new long[] {n, n}, 'c');
        for (int j = 0; j < n; j++) {
            sorted[j] = diag[order[j]];
            vs.putColumn(j, v.getColumn(order[j]));
        }
        boolean recomputed = it > 0;
        return new EigendecompositionResult(Nd4j.createFromArray(sorted), vs, recomputed, it);
    }

    private static void requireWarmStart(INDArray warmStart, String what) {
        if (warmStart == null) {
            throw new IllegalArgumentException(what + " needs the previous eigenvectors as a warm start");
        }
    }
}
