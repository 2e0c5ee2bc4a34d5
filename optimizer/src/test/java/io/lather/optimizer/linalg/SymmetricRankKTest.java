package io.lather.optimizer.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * syrk Gram matrices against index-loop sums in float64. Tolerance: 1e-12 relative to Σ|u_ik·u_jk| for float64 (k ≤ 80
 * roundings of unit-size terms, ~1e-14), 1e-5 for float32 (the same with float32's 6e-8 unit roundoff). The result
 * must be exactly symmetric and must overwrite every entry of the output, including ones prefilled with NaN. Orders 1,
 * 33 and 300 cover a single element, a partial mirroring tile and the parallel mirroring pass.
 */
class SymmetricRankKTest {
    private static INDArray random(DataType type, long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(type, shape).subi(0.5).muli(2);
    }

    private static void check(INDArray u, boolean transpose, double tol) {
        int d = (int) (transpose ? u.size(1) : u.size(0));
        int k = (int) (transpose ? u.size(0) : u.size(1));
        INDArray out = Nd4j.valueArrayOf(new long[] {d, d}, Double.NaN, u.dataType());
        assertTrue(SymmetricRankK.gram(u, transpose, out), "dense c-ordered arrays qualify");
        double[][] x = new double[d][k];
        for (int i = 0; i < d; i++) {
            for (int c = 0; c < k; c++) {
                x[i][c] = transpose ? u.getDouble(c, i) : u.getDouble(i, c);
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                double scale = 0;
                for (int c = 0; c < k; c++) {
                    s += x[i][c] * x[j][c];
                    scale += Math.abs(x[i][c] * x[j][c]);
                }
                assertEquals(s, out.getDouble(i, j), tol * Math.max(scale, 1e-300), "(" + i + "," + j + ") d=" + d);
                assertEquals(Double.doubleToLongBits(out.getDouble(i, j)), Double.doubleToLongBits(out.getDouble(j, i)),
                        "exactly symmetric at (" + i + "," + j + ")");
            }
        }
    }

    @Test
    void gramMatricesOfBothOrientationsMatchIndexLoops() {
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            double tol = type == DataType.DOUBLE ? 1e-12 : 1e-5;
            for (int d : new int[] {1, 33, 300}) {
                int k = 80;
                check(random(type, d, d, k), false, tol);
                check(random(type, d + 1, k, d), true, tol);
            }
        }
    }

    @Test
    void aRowRangeViewWithAnOffsetIsReadFromItsOwnElements() {
        INDArray big = random(DataType.DOUBLE, 5, 50, 40);
        INDArray rows = big.get(NDArrayIndex.interval(7, 40), NDArrayIndex.all()); // c-contiguous, offset 7·40
        assertTrue(rows.offset() > 0);
        check(rows, false, 1e-12);
        check(rows, true, 1e-12);
    }

    @Test
    void arraysThatAreNotDenseRowMajorAreDeclinedAndLeftUntouched() {
        INDArray fOrder = random(DataType.DOUBLE, 9, 20, 30).dup('f');
        INDArray out = Nd4j.valueArrayOf(new long[] {20, 20}, 3.0, DataType.DOUBLE);
        assertFalse(SymmetricRankK.gram(fOrder, false, out));
        assertFalse(SymmetricRankK.gram(random(DataType.DOUBLE, 9, 20, 30), false,
                Nd4j.create(DataType.FLOAT, 20, 20)), "mixed precision");
        assertFalse(SymmetricRankK.gram(random(DataType.DOUBLE, 9, 20, 30), false, Nd4j.create(DataType.DOUBLE, 30, 30)),
                "wrong output order");
        assertEquals(3.0 * 400, out.sumNumber().doubleValue(), 0.0);
    }

    @Test
    void theFlopCounterGetsTheTriangleThatRan() {
        long before = Tensors.gemmFlops()[1];
        assertTrue(SymmetricRankK.gram(random(DataType.DOUBLE, 3, 10, 7), false, Nd4j.create(DataType.DOUBLE, 10, 10)));
        assertEquals(10L * 11 * 7, Tensors.gemmFlops()[1] - before);
    }
}
