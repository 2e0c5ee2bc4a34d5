package io.lather.optimizer.linalg;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The default eigensolver: LAPACK {@code dsyevd} (divide and conquer) in float64, with {@code dsyev} as the
 * alternative algorithm for the retry.
 */
public final class LapackEigensolver implements SymmetricEigensolver {
    /** Shared instance; stateless and thread-safe. */
    public static final LapackEigensolver INSTANCE = new LapackEigensolver();

    private LapackEigensolver() {}

    @Override
    public Eigenpairs eigh(INDArray symmetric, boolean retryWithAlternative) {
        KernelSelfCheck.ensureVerified();
        int n = Tensors.squareSize(symmetric);
        double[] w = new double[n];
        double[] a = Tensors.toRowMajor(symmetric);
        int info = Lapack.dsyevd(a, n, w);
        if (info != 0 && retryWithAlternative) {
            a = Tensors.toRowMajor(symmetric);
            info = Lapack.dsyev(a, n, w);
        }
        if (info != 0) {
            throw new MatrixFunctionFailure("LAPACK symmetric eigensolver failed on a " + n + "x" + n
                    + " matrix (info = " + info + (retryWithAlternative ? ", dsyevd and dsyev" : ", dsyevd") + ")");
        }
        return new Eigenpairs(Nd4j.createFromArray(w), Tensors.fromRowMajor(a, n, n));
    }
}
