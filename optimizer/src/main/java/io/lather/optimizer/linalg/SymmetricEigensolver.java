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
     * {@link #eigh(INDArray, boolean)} that may take its working memory from {@code scratch}: the returned arrays may then be
     * (views of) scratch buffers, valid until the next call with the same scratch, so callers copy what they keep. The
     * optimizer's amortized computations pass a per-thread scratch because fresh off-heap arrays are expensive (see
     * {@link WorkBuffers}). The default ignores the scratch.
     *
     * @param scratch buffers to reuse, or null for fresh arrays
     */
    default Eigenpairs eigh(INDArray symmetric, boolean retryWithAlternative, WorkBuffers scratch) {
        return eigh(symmetric, retryWithAlternative);
    }

    /**
     * Whether {@link #eigh} may be called from several threads at once (the optimizer then runs the eigendecompositions
     * of one step side by side). False unless an implementation says otherwise.
     */
    default boolean isThreadSafe() {
        return false;
    }
}
