package io.lather.optimizer.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mode products and outer products against explicit index loops, including the allocation-free forms that write into
 * reused work arrays (which must not depend on what those arrays held before). Float64, tolerance 1e-12 relative to
 * the entries' magnitude (a handful of roundings on O(1) sums of ≤ 4 terms).
 */
class TensorsTest {
    private static final double TOL = 1e-12;
    private final SplittableRandom rnd = new SplittableRandom(7);

    private INDArray random(long... shape) {
        INDArray a = Nd4j.create(DataType.DOUBLE, shape);
        for (long i = 0; i < a.length(); i++) {
            a.putScalar(i, rnd.nextDouble() * 2 - 1);
        }
        return a;
    }

    /** Y[a,b,c] = Σ_{i,k} X[i,b,k]·M0[i,a]·M2[k,c] (or M0[a,i], M2[c,k] when transposed). */
    private static double expected(INDArray x, INDArray m0, INDArray m2, boolean transpose, int a, int b, int c) {
        double s = 0;
        for (int i = 0; i < x.size(0); i++) {
            for (int k = 0; k < x.size(2); k++) {
                double w0 = transpose ? m0.getDouble(a, i) : m0.getDouble(i, a);
                double w2 = transpose ? m2.getDouble(c, k) : m2.getDouble(k, c);
                s += x.getDouble(i, b, k) * w0 * w2;
            }
        }
        return s;
    }

    @Test
    void contractModesMatchesIndexLoopsWithAndWithoutWorkArrays() {
        INDArray x = random(2, 3, 4);
        INDArray m0 = random(2, 2);
        INDArray m2 = random(4, 4);
        boolean[] selected = {true, false, true};
        for (boolean transpose : new boolean[] {false, true}) {
            INDArray fresh = Tensors.contractModes(x, selected, List.of(m0, m2), transpose);
            INDArray out = Nd4j.valueArrayOf(new long[] {24}, Double.NaN, DataType.DOUBLE);
            INDArray work = Nd4j.valueArrayOf(new long[] {24}, Double.NaN, DataType.DOUBLE);
            INDArray reused = Tensors.contractModes(x, selected, List.of(m0, m2), transpose, out, work);
            assertEquals(List.of(2L, 3L, 4L), List.of(reused.size(0), reused.size(1), reused.size(2)));
            for (int a = 0; a < 2; a++) {
                for (int b = 0; b < 3; b++) {
                    for (int c = 0; c < 4; c++) {
                        double e = expected(x, m0, m2, transpose, a, b, c);
                        assertEquals(e, fresh.getDouble(a, b, c), TOL, "fresh " + a + b + c);
                        assertEquals(e, reused.getDouble(a, b, c), TOL, "reused " + a + b + c);
                    }
                }
            }
            // the result is a view of the output array
            assertEquals(reused.getDouble(1, 2, 3), out.getDouble(23), 0.0);
        }
    }

    @Test
    void contractModesRejectsAliasedWorkArrays() {
        INDArray x = random(3, 3);
        INDArray m = random(3, 3);
        INDArray other = random(3, 3);
        assertThrows(IllegalArgumentException.class,
                () -> Tensors.contractModes(x, new boolean[] {true, true}, List.of(m, m), false, x, other));
        assertThrows(IllegalArgumentException.class,
                () -> Tensors.contractModes(x, new boolean[] {true, true}, List.of(m, m), false, other, other));
    }

    @Test
    void outerProductOfEveryModeMatchesIndexLoops() {
        INDArray x = random(2, 3, 4);
        for (int mode = 0; mode < 3; mode++) {
            long d = x.size(mode);
            INDArray out = Tensors.outerProduct(x, mode, Nd4j.valueArrayOf(new long[] {d, d}, Double.NaN, DataType.DOUBLE));
            for (int p = 0; p < d; p++) {
                for (int q = 0; q < d; q++) {
                    double s = 0;
                    for (int i = 0; i < 2; i++) {
                        for (int j = 0; j < 3; j++) {
                            for (int k = 0; k < 4; k++) {
                                int[] idx = {i, j, k};
                                if (idx[mode] != 0) {
                                    continue;
                                }
                                int[] ip = idx.clone();
                                int[] iq = idx.clone();
                                ip[mode] = p;
                                iq[mode] = q;
                                s += x.getDouble(ip[0], ip[1], ip[2]) * x.getDouble(iq[0], iq[1], iq[2]);
                            }
                        }
                    }
                    assertEquals(s, out.getDouble(p, q), TOL, "mode " + mode + " (" + p + "," + q + ")");
                }
            }
        }
    }

    @Test
    void reconstructMatchesIndexLoopsWithNonNegativeAndWithNegativeValues() {
        // row-major Q, and Q as the transposed view of a row-major array (how LapackEigensolver returns eigenvectors)
        for (INDArray q : new INDArray[] {random(40, 40), random(40, 40).transpose()}) {
            reconstructMatchesIndexLoops(q);
        }
    }

    private void reconstructMatchesIndexLoops(INDArray q) {
        // non-negative values take the syrk form Q·diag(√v)·(Q·diag(√v))ᵀ (one zero included), a negative one the GEMM
        for (double sign : new double[] {1.0, -1.0}) {
            INDArray v = random(40).addi(1.0);
            v.putScalar(3, 0.0);
            v.putScalar(7, sign * v.getDouble(7));
            INDArray r = Tensors.reconstruct(q, v);
            for (int i = 0; i < 40; i++) {
                for (int j = 0; j < 40; j++) {
                    double s = 0;
                    for (int k = 0; k < 40; k++) {
                        s += q.getDouble(i, k) * v.getDouble(k) * q.getDouble(j, k);
                    }
                    assertEquals(s, r.getDouble(i, j), TOL * 40, "sign " + sign + " (" + i + "," + j + ")");
                }
            }
        }
    }

    @Test
    void lerpInPlaceFollowsTorchLerpOnBothBranchesAndKeepsB() {
        for (double w : new double[] {0.1, 0.9}) {
            INDArray a = random(5);
            INDArray b = random(5);
            INDArray a0 = a.dup();
            INDArray b0 = b.dup();
            INDArray r = Tensors.lerpInPlace(a, b, w, Nd4j.valueArrayOf(new long[] {5}, Double.NaN, DataType.DOUBLE));
            assertSame(a, r);
            for (int i = 0; i < 5; i++) {
                double x = a0.getDouble(i);
                double y = b0.getDouble(i);
                double e = w < 0.5 ? x + w * (y - x) : y - (y - x) * (1 - w);
                assertEquals(e, a.getDouble(i), 0.0, "w = " + w);
                assertEquals(y, b.getDouble(i), 0.0);
            }
        }
    }

    /**
     * allFinite is exact both ways: float32 entries near the largest float (whose float64 squares still add up finitely),
     * float64 entries whose squares overflow (the fused sum is then not finite and the entries are looked at one by one),
     * and a NaN or an infinity anywhere, also in a view and in an array too small to be split.
     */
    @Test
    void allFiniteIsExactForLargeEntriesAndFindsEveryNonFiniteOne() {
        INDArray huge32 = Nd4j.valueArrayOf(new long[] {300, 301}, 3.0e38f, DataType.FLOAT);
        assertTrue(Tensors.allFinite(huge32));
        INDArray huge64 = Nd4j.valueArrayOf(new long[] {300, 301}, 1.0e300, DataType.DOUBLE);
        assertTrue(Tensors.allFinite(huge64));
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            for (long[] shape : new long[][] {{300, 301}, {3, 5}}) {
                for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                    INDArray x = Nd4j.rand(t, shape);
                    assertTrue(Tensors.allFinite(x));
                    x.putScalar(x.length() - 1, bad);
                    assertFalse(Tensors.allFinite(x), t + " " + bad);
                    assertFalse(Tensors.allFinite(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, shape[0]),
                            org.nd4j.linalg.indexing.NDArrayIndex.all())), "view, " + t + " " + bad);
                }
            }
        }
    }

    /** norm2 through the fused reduction against ND4J's, and on a transposed view (which takes ND4J's path). */
    @Test
    void norm2MatchesNd4jsOnContiguousArraysAndViews() {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 300, 301).subi(0.5);
        double expected = x.norm2Number().doubleValue();
        assertEquals(expected, Tensors.norm2(x), 1e-12 * expected);
        assertEquals(expected, Tensors.norm2(x.transpose()), 1e-12 * expected);
        INDArray f = x.castTo(DataType.FLOAT);
        // ND4J accumulates a float32 norm in float32: agreement to float32 rounding of the sum
        assertEquals(f.norm2Number().doubleValue(), Tensors.norm2(f), 1e-5 * expected);
    }
}
