package io.lather.optimizer.linalg;

import org.nd4j.linalg.api.buffer.DataType;
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

    /** Each call works on its own copies; LAPACK's {@code dsyevd} is reentrant. */
    @Override
    public boolean isThreadSafe() {
        return true;
    }

    @Override
    public Eigenpairs eigh(INDArray symmetric, boolean retryWithAlternative) {
        return eigh(symmetric, retryWithAlternative, null);
    }

    /** dsyevd works on a copy of {@code symmetric} in {@code scratch} (when given); the eigenvectors are a view of it. */
    @Override
    public Eigenpairs eigh(INDArray symmetric, boolean retryWithAlternative, WorkBuffers scratch) {
        KernelSelfCheck.ensureVerified();
        int n = Tensors.squareSize(symmetric);
        double[] wd = new double[n];
        Eigenpairs pairs = FusedElementwise.hostMemory() ? dsyevdInPlace(symmetric, n, scratch) : dsyevdThroughHostCopy(symmetric, n);
        if (pairs != null) {
            return pairs;
        }
        int info = -1;
        if (retryWithAlternative) {
            double[] ad = Tensors.toRowMajor(symmetric);
            info = Lapack.dsyev(ad, n, wd);
            if (info == 0) {
                return new Eigenpairs(Nd4j.createFromArray(wd), Tensors.fromRowMajor(ad, n, n));
            }
        }
        throw new MatrixFunctionFailure("LAPACK symmetric eigensolver failed on a " + n + "x" + n + " matrix ("
                + (retryWithAlternative ? "dsyevd and dsyev did not converge, dsyev info = " + info : "dsyevd did not converge") + ")");
    }

    /**
     * dsyevd on a float64 copy in ND4J memory (fresh, or scratch's buffers), no Java-array round trip (at n = 1024 the
     * copies through double[] and LAPACKE's row-major transposes cost ~20 ms per call on top of dsyevd's ~140 ms). Host
     * memory only.
     *
     * @return the eigenpairs, or null when dsyevd did not converge
     */
    static Eigenpairs dsyevdInPlace(INDArray symmetric, int n, WorkBuffers scratch) {
        INDArray a = WorkBuffers.getOrFresh(scratch, "eigh.vectors", DataType.DOUBLE, n, n).assign(symmetric);
        INDArray w = WorkBuffers.getOrFresh(scratch, "eigh.values", DataType.DOUBLE, n);
        // LAPACK wrote the eigenvectors column-major, i.e. as the rows of a: aᵀ is the eigenvector matrix. Returned as that
        // view rather than a row-major copy (at n = 1024 the transposing copy took 5–7 ms); consumers copy what they keep.
        return Lapack.dsyevdInPlace(a, n, w) == 0 ? new Eigenpairs(w, a.transpose()) : null;
    }

    /**
     * dsyevd on a Java copy: for device memory (CUDA backend), where {@code data().asDouble()} synchronises the device
     * buffer to the host first and {@code Nd4j.createFromArray} puts the result back.
     *
     * @return the eigenpairs, or null when dsyevd did not converge
     */
    static Eigenpairs dsyevdThroughHostCopy(INDArray symmetric, int n) {
        double[] a = Tensors.toRowMajor(symmetric);
        double[] w = new double[n];
        return Lapack.dsyevd(a, n, w) == 0 ? new Eigenpairs(Nd4j.createFromArray(w), Tensors.fromRowMajor(a, n, n)) : null;
    }
}
