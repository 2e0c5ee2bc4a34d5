package io.lather.optimizer.linalg;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.stream.IntStream;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Gram matrices U·Uᵀ and Uᵀ·U by BLAS {@code syrk}: one triangle computed (half a GEMM's multiply-adds), then mirrored.
 *
 * <p>Why: every Shampoo variant forms one outer product per factor every step (G·Gᵀ and Gᵀ·G for a matrix block), the
 * largest per-step cost after preconditioning. ALGORITHMS.md §9.5 notes the work halves when symmetry is exploited; the
 * reference issues full GEMMs. The result is also exactly symmetric, which a GEMM does not promise.
 *
 * <p>The call goes to the same OpenBLAS build as ND4J's GEMMs ({@code openblas_nolapack}), so it uses the same threads.
 * Applies to dense c-ordered float32/float64 arrays of one type; {@link #gram} returns false otherwise and the caller
 * uses a GEMM.
 */
public final class SymmetricRankK {
    /**
     * Tile side of the mirroring pass. Measured at n = 1024 float32, syrk + mirror: 7.1–7.3 ms with 64, 7.2–7.5 ms with 32,
     * 7.3–8.6 ms with 16 (syrk alone 6.1–6.7 ms; the full GEMM 10.5–10.7 ms).
     */
    private static final int TILE = 64;
    /** Below this order one thread mirrors (splitting costs more than it saves). */
    private static final int PARALLEL_ORDER = 256;

    static {
        Loader.load(openblas_nolapack.class);
    }

    private SymmetricRankK() {}

    /**
     * out ← U·Uᵀ (or Uᵀ·U when {@code transpose}), the full symmetric d×d matrix.
     *
     * @param u a c-ordered matrix, d × k (k × d when transposed)
     * @param out a c-ordered d×d array of u's type; overwritten
     * @return false (nothing written) when the arrays do not qualify for the direct BLAS call
     */
    public static boolean gram(INDArray u, boolean transpose, INDArray out) {
        if (u.rank() != 2 || out.rank() != 2 || !FusedElementwise.applies(u) || !FusedElementwise.applies(out)
                || u.dataType() != out.dataType()) {
            return false;
        }
        int d = (int) (transpose ? u.size(1) : u.size(0));
        int k = (int) (transpose ? u.size(0) : u.size(1));
        if (out.size(0) != d || out.size(1) != d || k == 0) {
            return false;
        }
        int trans = transpose ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int lda = (int) u.size(1);
        if (u.dataType() == DataType.FLOAT) {
            FloatBuffer ob = out.data().asNioFloat();
            openblas_nolapack.cblas_ssyrk(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasUpper, trans, d, k, 1.0f,
                    floats(u), lda, 0.0f,
                    floats(out), d);
            mirror(d, (int) out.offset(), (i, j) -> ob.put(j, ob.get(i)));
        } else {
            DoubleBuffer ob = out.data().asNioDouble();
            openblas_nolapack.cblas_dsyrk(openblas_nolapack.CblasRowMajor, openblas_nolapack.CblasUpper, trans, d, k, 1.0,
                    doubles(u), lda, 0.0,
                    doubles(out), d);
            mirror(d, (int) out.offset(), (i, j) -> ob.put(j, ob.get(i)));
        }
        // the multiply-adds syrk performs: the upper triangle with its diagonal
        Tensors.countFlops(u.dataType(), (long) d * (d + 1) * k);
        return true;
    }

    /*
     * A pointer at a's first element. The NIO view of a's buffer starts at the underlying buffer's first element (the
     * addressing FusedElementwise.applies verified) but may come with its position set; JavaCPP's Pointer(Buffer)
     * constructor folds that position into the address in a way that does not match element units (measured: a view at
     * element offset 280 gave a pointer at element 35), so the pointer is built from a position-0 duplicate and then
     * positioned at a's offset in elements.
     */
    private static FloatPointer floats(INDArray a) {
        return new FloatPointer((FloatBuffer) a.data().asNioFloat().duplicate().clear()).position(a.offset());
    }

    private static DoublePointer doubles(INDArray a) {
        return new DoublePointer((DoubleBuffer) a.data().asNioDouble().duplicate().clear()).position(a.offset());
    }

    private interface Copy {
        /** element at buffer index {@code to} ← element at buffer index {@code from} */
        void run(int from, int to);
    }

    /** Copies the upper triangle of the row-major d×d matrix at {@code offset} onto its lower triangle, tile by tile. */
    private static void mirror(int d, int offset, Copy copy) {
        int tiles = (d + TILE - 1) / TILE;
        IntStream rows = IntStream.range(0, tiles);
        (d >= PARALLEL_ORDER ? rows.parallel() : rows).forEach(ti -> {
            int i0 = ti * TILE;
            int i1 = Math.min(d, i0 + TILE);
            for (int j0 = 0; j0 <= i0; j0 += TILE) {
                int j1 = Math.min(d, j0 + TILE);
                // lower-triangle entries (i, j), i > j, of tile (ti, j0/TILE) from their mirror (j, i)
                for (int i = i0; i < i1; i++) {
                    int jEnd = Math.min(j1, i);
                    for (int j = j0; j < jEnd; j++) {
                        copy.run(offset + j * d + i, offset + i * d + j);
                    }
                }
            }
        });
    }
}
