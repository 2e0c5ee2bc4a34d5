package io.lather.optimizer.linalg;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A symmetric eigensolver (LAPACK {@code syevd} semantics: eigenvalues ascending, orthonormal eigenvectors in
 * columns, column signs implementation-defined). The optimizer takes one as a dependency so that tests can
 * inject failures and other backends (e.g. cuSOLVER) can be plugged in.
 */
public interface SymmetricEigensolver {
    /**
     * @param symmetric a symmetric n×n float64 matrix; not modified
     * @param retryWithAlternative on failure, retry once with a different algorithm before giving up
     * @return the eigenpairs in float64
     * @throws MatrixFunctionFailure if no result could be computed
     */
    Eigenpairs eigh(INDArray symmetric, boolean retryWithAlternative);

    /**
     * Whether {@link #eigh} may be called from several threads at once (the optimizer then runs the eigendecompositions
     * of one step side by side). False unless an implementation says otherwise.
     */
    default boolean isThreadSafe() {
        return false;
    }
}
