package io.lather.optimizer.linalg;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * Direct calls into the LAPACK that ND4J already ships (OpenBLAS 0.3.19 through JavaCPP 1.5.7).
 *
 * <p>Why not ND4J's own linear algebra: {@code Eigen.symmetricGeneralizedEigenvalues} calls {@code dsyev}
 * (about 5× slower than {@code dsyevd} at n = 1024 on this project's benchmark machine), and the M2.1
 * {@code Nd4j.linalg()} QR/SVD custom ops are broken or far slower than the LAPACK drivers. All routines work
 * on row-major {@code double[]} copies, so they are safe to call with any ND4J array layout.
 */
public final class Lapack {
    static {
        Loader.load(openblas.class);
    }

    private Lapack() {}

    /**
     * Symmetric eigendecomposition by divide and conquer ({@code dsyevd}).
     *
     * @param a row-major n×n symmetric matrix; overwritten with the eigenvectors (column j = eigenvector j)
     * @param n order of the matrix
     * @param w receives the n eigenvalues in ascending order
     * @return LAPACK's {@code info}: 0 on success, &gt; 0 if the algorithm failed to converge
     */
    public static int dsyevd(double[] a, int n, double[] w) {
        return openblas.LAPACKE_dsyevd(openblas.LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'U', n, a, n, w);
    }

    /**
     * {@code dsyevd} in place on an ND4J array, without copies through Java arrays: {@code a} must be a c-ordered n×n
     * float64 array with offset 0. It is passed as column-major, which for a symmetric matrix is the same matrix; on
     * return row j of {@code a} holds eigenvector j (i.e. {@code a} is Vᵀ) and {@code w} the eigenvalues, ascending.
     */
    public static int dsyevdInPlace(org.nd4j.linalg.api.ndarray.INDArray a, int n, org.nd4j.linalg.api.ndarray.INDArray w) {
        return openblas.LAPACKE_dsyevd(openblas.LAPACK_COL_MAJOR, (byte) 'V', (byte) 'L', n,
                new org.bytedeco.javacpp.DoublePointer(a.data().addressPointer()), n,
                new org.bytedeco.javacpp.DoublePointer(w.data().addressPointer()));
    }

    /** Symmetric eigendecomposition by the implicit QL/QR algorithm ({@code dsyev}); same contract as {@link #dsyevd}. */
    public static int dsyev(double[] a, int n, double[] w) {
        return openblas.LAPACKE_dsyev(openblas.LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'U', n, a, n, w);
    }

    /**
     * Householder QR factorisation of a square row-major matrix: on return {@code a} holds the orthogonal
     * factor Q and {@code r} the upper-triangular factor R (A = Q·R), the same convention as
     * {@code torch.linalg.qr} and {@code numpy.linalg.qr} (both call {@code geqrf} + {@code orgqr}).
     *
     * @return LAPACK's {@code info} of the first failing call, or 0
     */
    public static int qr(double[] a, int n, double[] r) {
        double[] tau = new double[n];
        int info = openblas.LAPACKE_dgeqrf(openblas.LAPACK_ROW_MAJOR, n, n, a, n, tau);
        if (info != 0) {
            return info;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                r[i * n + j] = j >= i ? a[i * n + j] : 0.0;
            }
        }
        return openblas.LAPACKE_dorgqr(openblas.LAPACK_ROW_MAJOR, n, n, n, a, n, tau);
    }
}
