package io.lather.optimizer.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lather.optimizer.config.EigendecompositionConfig;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Eigendecomposition and QR at sizes where LAPACK switches to its blocked algorithms (n ≥ 128). The golden files only
 * hold blocks up to 12×12, which never reach those code paths; OpenBLAS 0.3.19's AVX-512 DTRMM bug (see
 * {@link KernelSelfCheck}) showed that small-matrix tests alone prove nothing about production sizes.
 */
class LargeMatrixTest {
    private static INDArray spd(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n * n];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble() - 0.5;
        }
        INDArray g = Nd4j.createFromArray(v).reshape(n, n);
        return Tensors.gemm(g, false, g, true);
    }

    private static double maxAbs(INDArray x) {
        return Transforms.abs(x).maxNumber().doubleValue();
    }

    /**
     * The host-copy dsyevd (the path for device memory, CUDA backend) runs the same LAPACK routine on the same matrix as
     * the in-place one, so on the CPU the two must agree to rounding: eigenvalues within 1e-12 of the largest, eigenvectors
     * up to sign within 1e-9 (well-separated random spectrum at n = 300; eigenvector error ~ ε·‖A‖/gap).
     */
    @org.junit.jupiter.api.Test
    void theHostCopyPathGivesTheInPlacePathsEigenpairs() {
        int n = 300;
        INDArray a = spd(n, 11);
        Eigenpairs inPlace = LapackEigensolver.dsyevdInPlace(a, n, null);
        Eigenpairs copied = LapackEigensolver.dsyevdThroughHostCopy(a, n);
        double scale = maxAbs(inPlace.eigenvalues());
        assertTrue(maxAbs(inPlace.eigenvalues().sub(copied.eigenvalues())) <= 1e-12 * scale);
        for (int j = 0; j < n; j++) {
            INDArray u = inPlace.eigenvectors().getColumn(j);
            INDArray v = copied.eigenvectors().getColumn(j);
            double sign = Math.signum(u.mul(v).sumNumber().doubleValue());
            assertTrue(maxAbs(u.sub(v.mul(sign))) <= 1e-9, "eigenvector " + j);
        }
    }

    /**
     * With a scratch, dsyevd runs on the same copy of the same matrix, only in reused memory: the eigenpairs must be
     * bitwise those of the fresh-array path, the input must stay unchanged, and a second call must reuse the buffers.
     */
    @org.junit.jupiter.api.Test
    void theScratchPathGivesTheFreshPathsEigenpairsBitwiseAndReusesItsBuffers() {
        int n = 300;
        INDArray a = spd(n, 12);
        INDArray before = a.dup();
        WorkBuffers scratch = new WorkBuffers();
        Eigenpairs fresh = LapackEigensolver.INSTANCE.eigh(a, false);
        Eigenpairs reused = LapackEigensolver.INSTANCE.eigh(a, false, scratch);
        // assertArrayEquals on double[] without a delta compares exactly (INDArray.equals would allow 1e-5)
        assertArrayEquals(Tensors.toRowMajor(fresh.eigenvalues()), Tensors.toRowMajor(reused.eigenvalues()));
        assertArrayEquals(Tensors.toRowMajor(fresh.eigenvectors()), Tensors.toRowMajor(reused.eigenvectors()));
        assertArrayEquals(Tensors.toRowMajor(before), Tensors.toRowMajor(a));
        long held = scratch.bytes();
        assertEquals((long) n * n * 8 + n * 8, held);
        LapackEigensolver.INSTANCE.eigh(spd(n, 13), false, scratch);
        assertEquals(held, scratch.bytes());
    }

    @ParameterizedTest
    @ValueSource(ints = {127, 300, 1024})
    void eighResidualAndOrthogonality(int n) {
        INDArray a = spd(n, n);
        Eigenpairs e = LapackEigensolver.INSTANCE.eigh(a, false);
        INDArray q = e.eigenvectors();
        double scale = maxAbs(e.eigenvalues());
        double residual = maxAbs(Tensors.matmul(a, q).sub(q.mulRowVector(e.eigenvalues()))) / scale;
        double orth = maxAbs(Tensors.gemm(q, true, q, false).sub(Nd4j.eye(n).castTo(DataType.DOUBLE)));
        // backward-stable eigensolvers give residuals of a few n·ε relative to ‖A‖
        assertTrue(residual < 1e-11, "n=" + n + " residual " + residual);
        assertTrue(orth < 1e-11, "n=" + n + " orthogonality " + orth);
    }

    @ParameterizedTest
    @ValueSource(ints = {127, 300, 1024})
    void qrFactorsAndQrAlgorithmStep(int n) {
        INDArray a = spd(n, 7 * n);
        double[] q = Tensors.toRowMajor(a);
        double[] r = new double[n * n];
        Lapack.qr(q, n, r);
        INDArray qm = Tensors.fromRowMajor(q, n, n);
        INDArray rm = Tensors.fromRowMajor(r, n, n);
        assertTrue(maxAbs(Tensors.matmul(qm, rm).sub(a)) / maxAbs(a) < 1e-12, "n=" + n + " QR residual");
        assertTrue(maxAbs(Tensors.gemm(qm, true, qm, false).sub(Nd4j.eye(n).castTo(DataType.DOUBLE))) < 1e-11, "n=" + n + " Q orthogonal");
        // one warm-started QR-algorithm step keeps the basis orthonormal and the Rayleigh quotients sorted
        EigendecompositionResult step = Eigendecompositions.compute(a, 0.0, EigendecompositionConfig.Qr.defaults(),
                Nd4j.eye(n).castTo(DataType.DOUBLE), LapackEigensolver.INSTANCE);
        INDArray v = step.eigenvectors();
        assertTrue(maxAbs(Tensors.gemm(v, true, v, false).sub(Nd4j.eye(n).castTo(DataType.DOUBLE))) < 1e-11);
        double[] l = step.eigenvalues().toDoubleVector();
        for (int i = 1; i < n; i++) {
            assertTrue(l[i - 1] <= l[i]);
        }
    }
}
