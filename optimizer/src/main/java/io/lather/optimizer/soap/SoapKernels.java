package io.lather.optimizer.soap;

import io.lather.optimizer.linalg.Eigenpairs;
import io.lather.optimizer.linalg.Lapack;
import io.lather.optimizer.linalg.MatrixFunctionFailure;
import io.lather.optimizer.linalg.SymmetricEigensolver;
import io.lather.optimizer.linalg.Tensors;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The numerical kernels of NVIDIA SOAP (ALGORITHMS.md §7), all in float64: descending eigenbases (eigh and
 * {@code eigh_with_fallback}), warm-started orthogonal iteration, Rayleigh quotients diag(QᵀKQ), the adaptive criterion,
 * permutations along one mode, the inner Adam update, RMS clipping and the KL correction matrix.
 *
 * <p>Operation order follows {@code golden/check_numpy.py} ({@code SoapHead}, {@code SoapLegacy}, {@code _adam}), which
 * reproduces the reference trajectories; where the reference is order-sensitive at the last-ulp level (torch.lerp's two
 * branches, Python's {@code 1 - beta}) the same expressions are used.
 */
final class SoapKernels {
    /** Ridge of {@code eigh_with_fallback} for float64 input (1e-7 for float32 in the reference; the eigen work here is float64). */
    static final double FALLBACK_RIDGE = 1e-15;
    /** ε of the reference's {@code _clip_update_rms_in_place}. */
    static final double RMS_CLIP_EPS = 1e-7;

    private SoapKernels() {}

    /** Eigenvalues in descending order with the matching eigenvector columns (float64). */
    record DescendingEigenbasis(double[] eigenvalues, INDArray eigenvectors) {}

    /** x itself when it is float64, otherwise a float64 copy (the working precision of every SOAP computation). */
    static INDArray f64(INDArray x) {
        return x.dataType() == DataType.DOUBLE ? x : x.castTo(DataType.DOUBLE);
    }

    /** The n×n float64 identity. */
    static INDArray identity(long n) {
        INDArray eye = Nd4j.zeros(DataType.DOUBLE, n, n);
        for (long i = 0; i < n; i++) {
            eye.putScalar(i, i, 1.0);
        }
        return eye;
    }

    /**
     * HEAD's eigh: eigh(K) without ridge or diagonal shortcut (the solver retries once with another LAPACK driver),
     * reversed to descending order.
     */
    static DescendingEigenbasis eighDescending(INDArray k, SymmetricEigensolver solver) {
        Eigenpairs e = solver.eigh(k, true);
        double[] ascending = e.eigenvalues().toDoubleVector();
        int n = ascending.length;
        double[] values = new double[n];
        int[] reversed = new int[n];
        for (int j = 0; j < n; j++) {
            values[j] = ascending[n - 1 - j];
            reversed[j] = n - 1 - j;
        }
        return new DescendingEigenbasis(values, permuteAlong(e.eigenvectors(), 1, reversed));
    }

    /**
     * LEGACY's {@code eigh_with_fallback}: an exactly diagonal K (every off-diagonal entry 0, e.g. the zero matrix) gets
     * identity columns ordered by descending diagonal (ties keep index order, which is what the reference's ascending
     * then descending stable sorts produce); otherwise eigh(K + 1e-15·I), descending.
     */
    static DescendingEigenbasis eighWithFallback(INDArray k, SymmetricEigensolver solver) {
        int n = Tensors.squareSize(k);
        double[] a = Tensors.toRowMajor(k);
        boolean diagonal = true;
        for (int i = 0; i < n && diagonal; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j && a[i * n + j] != 0.0) {
                    diagonal = false;
                    break;
                }
            }
        }
        if (diagonal) {
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                d[i] = a[i * n + i];
            }
            int[] order = argsortDescending(d);
            double[] values = new double[n];
            for (int j = 0; j < n; j++) {
                values[j] = d[order[j]];
            }
            return new DescendingEigenbasis(values, permuteAlong(identity(n), 1, order));
        }
        for (int i = 0; i < n; i++) {
            a[i * n + i] += FALLBACK_RIDGE;
        }
        return eighDescending(Tensors.fromRowMajor(a, n, n), solver);
    }

    /**
     * Warm-started orthogonal iteration: {@code steps} times Q ← orthonormal factor of the Householder QR of K·Q
     * (LAPACK geqrf + orgqr, the convention of torch.linalg.qr and numpy.linalg.qr).
     */
    static INDArray orthogonalIteration(INDArray k, INDArray q, int steps) {
        int n = Tensors.squareSize(k);
        INDArray cur = q;
        for (int s = 0; s < steps; s++) {
            double[] a = Tensors.toRowMajor(Tensors.matmul(k, cur));
            int info = Lapack.qr(a, n, new double[n * n]);
            if (info != 0) {
                throw new MatrixFunctionFailure("LAPACK QR factorisation (dgeqrf/dorgqr) failed on a " + n + "x" + n
                        + " matrix (info = " + info + ")");
            }
            cur = Tensors.fromRowMajor(a, n, n);
        }
        return cur;
    }

    /** Rayleigh quotients diag(QᵀKQ): entry j is Σ_i Q_ij (KQ)_ij. */
    static double[] rayleighQuotients(INDArray q, INDArray k) {
        return q.mul(Tensors.matmul(k, q)).sum(0).toDoubleVector();
    }

    /**
     * LEGACY's per-factor adaptive criterion, in the reference's subtraction form: the basis is still good when
     * τ·‖K‖_F ≥ ‖K‖_F − ‖diag(QᵀKQ)‖₂ (equivalently ‖diag B‖ ≥ (1 − τ)‖B‖ with B = QᵀKQ, since ‖B‖_F = ‖K‖_F).
     */
    static boolean basisStillGood(INDArray k, INDArray q, double tolerance) {
        double norm = k.norm2Number().doubleValue();
        double diag = 0;
        for (double d : rayleighQuotients(q, k)) {
            diag += d * d;
        }
        return tolerance * norm >= norm - Math.sqrt(diag);
    }

    /**
     * Indices that sort {@code v} in descending order; stable (ties keep index order) and treating −0.0 = +0.0, like
     * numpy's {@code argsort(-v, kind="stable")}.
     */
    static int[] argsortDescending(double[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> v[a] > v[b] ? -1 : v[a] < v[b] ? 1 : 0);
        int[] out = new int[idx.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    /** A float64 copy of x whose index along {@code axis} is re-labelled: out[…, j, …] = x[…, order[j], …]. */
    static INDArray permuteAlong(INDArray x, int axis, int[] order) {
        long[] shape = x.shape();
        double[] src = Tensors.toRowMajor(x);
        int d = (int) shape[axis];
        long inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        long outer = src.length / Math.max(1, d * inner);
        double[] dst = new double[src.length];
        for (long o = 0; o < outer; o++) {
            for (int j = 0; j < d; j++) {
                System.arraycopy(src, (int) ((o * d + order[j]) * inner), dst, (int) ((o * d + j) * inner), (int) inner);
            }
        }
        return Tensors.fromRowMajor(dst, shape);
    }

    /**
     * The inner Adam of every version (ALGORITHMS.md §7.2.1), updating m and v in place:
     * <pre>
     *   m ← lerp(m, ĝ, 1 − β1);  v ← lerp(v, ĝ², 1 − β2)
     *   u = num / (sqrt(v / bc2) + ε),  num = β1·m / (1 − β1^(t+1)) + (1 − β1)·ĝ / bc1  (Nesterov)  or  m / bc1
     * </pre>
     * with bc_i = 1 − β_i^t when bias correction is on, else 1 (the Nesterov denominator then is 1 too).
     */
    static INDArray adamInPlace(INDArray m, INDArray v, INDArray gp, double beta1, double beta2, double eps, boolean correctBias,
            boolean nesterov, long t) {
        Tensors.lerpInPlace(m, gp, 1 - beta1);
        Tensors.lerpInPlace(v, gp.mul(gp), 1 - beta2);
        double bc1 = correctBias ? 1 - Math.pow(beta1, t) : 1.0;
        double bc2 = correctBias ? 1 - Math.pow(beta2, t) : 1.0;
        INDArray num;
        if (nesterov) {
            double next = correctBias ? 1 - Math.pow(beta1, t + 1) : 1.0;
            num = m.mul(beta1).divi(next).addi(gp.mul(1 - beta1).divi(bc1));
        } else {
            num = m.div(bc1);
        }
        INDArray denom = Transforms.sqrt(v.div(bc2), false).addi(eps);
        return num.divi(denom);
    }

    /** u ← u · min(1, maxRms / (rms(u) + 1e-7)); no-op when maxRms = 0 (the reference's {@code _clip_update_rms_in_place}). */
    static void clipRmsInPlace(INDArray u, double maxRms) {
        if (maxRms == 0.0 || u.length() == 0) {
            return;
        }
        double rms = Math.sqrt(u.mul(u).meanNumber().doubleValue());
        u.muli(Math.min(1.0, maxRms / (rms + RMS_CLIP_EPS)));
    }

    /**
     * The KL-Shampoo correction of one side, C = Q·diag(scale)·Qᵀ with scale_j = (1/d)·max(λ_j, ε)^(−1), where d is the
     * side's dimension (KL-Shampoo, arXiv 2509.03378; reference {@code update_kronecker_factors_kl_shampoo}).
     */
    static INDArray klCorrection(INDArray q, double[] lambda, long d, double eps) {
        double[] scale = new double[lambda.length];
        for (int j = 0; j < scale.length; j++) {
            scale[j] = 1.0 / d * (1.0 / Math.max(lambda[j], eps));
        }
        return Tensors.reconstruct(q, Nd4j.createFromArray(scale));
    }

    /**
     * The KL factor updates of a matrix gradient G (m×n): returns {G·C_R·Gᵀ (m×m, for L), Gᵀ·C_L·G (n×n, for R)}.
     */
    static INDArray[] klOuterProducts(INDArray g, INDArray correctionLeft, INDArray correctionRight) {
        INDArray forLeft = Tensors.gemm(Tensors.matmul(g, correctionRight), false, g, true);
        INDArray forRight = Tensors.matmul(Tensors.gemm(g, true, correctionLeft, false), g);
        return new INDArray[] {forLeft, forRight};
    }

    /** True when every value is finite. */
    static boolean allFinite(double[] v) {
        for (double d : v) {
            if (!Double.isFinite(d)) {
                return false;
            }
        }
        return true;
    }
}
