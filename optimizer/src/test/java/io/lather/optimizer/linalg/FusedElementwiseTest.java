package io.lather.optimizer.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Each fused kernel against the ND4J op sequence it replaces, on arrays large enough to be split across threads and on
 * a row-block view with a non-zero offset (how a blocked parameter's block is addressed). Expected: identical values
 * (the kernels perform the same IEEE operations in the same order), checked with zero tolerance. Float32 runs twice: with
 * the Vector API loops (the test JVM adds their module, as every Lather JVM does) and with the scalar loops alone.
 */
class FusedElementwiseTest {
    private static final int ROWS = 300;
    // 120,300 elements: above the threshold for splitting the pass, and neither the halves nor the row-block views are
    // whole numbers of vectors, so the Vector API loops hand a tail to the scalar loop and load from unaligned offsets
    private static final int COLS = 401;
    private final SplittableRandom rnd = new SplittableRandom(3);

    private INDArray random(DataType t, double lo, double hi) {
        double[] v = new double[ROWS * COLS];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * rnd.nextDouble();
        }
        return Nd4j.createFromArray(v).reshape(ROWS, COLS).castTo(t);
    }

    /** Rows 100..299 of a larger array: a c-contiguous view at offset 100·COLS. */
    private INDArray view(DataType t, double lo, double hi) {
        INDArray big = random(t, lo, hi);
        return big.get(NDArrayIndex.interval(100, ROWS), NDArrayIndex.all());
    }

    /** The data type of a test mode; FLOAT_SCALAR turns the Vector API loops off until {@link #restore()}. */
    private static DataType mode(String type) {
        if (type.equals("FLOAT")) {
            assertTrue(FusedElementwise.vectorLoopsOn(), "the test JVM adds jdk.incubator.vector, so the vector loops run");
        }
        if (type.equals("FLOAT_SCALAR")) {
            FusedElementwise.useVectorLoops(false);
            return DataType.FLOAT;
        }
        return DataType.valueOf(type);
    }

    @AfterEach
    void restore() {
        FusedElementwise.useVectorLoops(true);
    }

    private static void assertSame(INDArray expected, INDArray actual) {
        INDArray e = expected.castTo(DataType.DOUBLE);
        INDArray a = actual.castTo(DataType.DOUBLE);
        double worst = Transforms.abs(e.sub(a)).maxNumber().doubleValue();
        assertEquals(0.0, worst, 0.0, "fused kernel differs from the ND4J op sequence");
    }

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "FLOAT_SCALAR", "DOUBLE"})
    void emaOfSquaresAndOfValues(String type) {
        DataType t = mode(type);
        for (boolean square : new boolean[] {true, false}) {
            INDArray y = view(t, 0, 1);
            INDArray x = view(t, -1, 1);
            assertTrue(y.offset() > 0);
            INDArray expected = y.dup().muli(0.999).addi((square ? x.mul(x) : x.dup()).muli(0.001));
            assertTrue(FusedElementwise.ema(y, x, square, 0.999, 0.001));
            assertSame(expected, y);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "FLOAT_SCALAR", "DOUBLE"})
    void adamDirection(String type) {
        DataType t = mode(type);
        INDArray h = random(t, -1, 1);
        INDArray v = random(t, 0, 1);
        INDArray out = Nd4j.createUninitialized(t, ROWS, COLS);
        INDArray expected = h.div(Transforms.sqrt(v.div(0.3), false).addi(1e-8));
        assertTrue(FusedElementwise.adamDirection(out, h, v, 0.3, 1e-8));
        assertSame(expected, out);
        assertTrue(FusedElementwise.adamDirection(h, h, v, 0.3, 1e-8)); // in place
        assertSame(expected, h);
    }

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "FLOAT_SCALAR", "DOUBLE"})
    void adamDirectionOfADividedNumerator(String type) {
        DataType t = mode(type);
        INDArray m = random(t, -1, 1);
        INDArray v = random(t, 0, 1);
        INDArray out = Nd4j.createUninitialized(t, ROWS, COLS);
        INDArray expected = m.dup().divi(0.19).divi(Transforms.sqrt(v.div(0.3), false).addi(1e-8));
        assertTrue(FusedElementwise.adamDirection(out, m, 0.19, v, 0.3, 1e-8));
        assertSame(expected, out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "FLOAT_SCALAR", "DOUBLE"})
    void lerpOnBothBranches(String type) {
        DataType t = mode(type);
        for (double w : new double[] {0.1, 0.95}) {
            INDArray m = view(t, -1, 1);
            INDArray g = view(t, -1, 1);
            INDArray expected = Tensors.lerpInPlace(m.dup(), g, w);
            assertTrue(FusedElementwise.lerp(m, g, w));
            assertSame(expected, m);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "FLOAT_SCALAR", "DOUBLE"})
    void lerpOnBothBranchesThenScaledCopy(String type) {
        DataType t = mode(type);
        for (double w : new double[] {0.1, 0.95}) {
            INDArray m = random(t, -1, 1);
            INDArray g = random(t, -1, 1);
            INDArray h = Nd4j.createUninitialized(t, ROWS, COLS);
            INDArray expectedM = Tensors.lerpInPlace(m.dup(), g, w);
            INDArray expectedH = expectedM.div(0.7);
            assertTrue(FusedElementwise.lerpAndScaledCopy(m, g, w, h, 0.7));
            assertSame(expectedM, m);
            assertSame(expectedH, h);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "FLOAT_SCALAR", "DOUBLE"})
    void decayAndApplyOnABlockView(String type) {
        DataType t = mode(type);
        INDArray w = view(t, -1, 1);
        INDArray p = view(t, -1, 1).dup();
        INDArray expected = w.add(p.add(w.mul(0.01)).muli(-1e-3));
        assertTrue(FusedElementwise.decayAndApply(w, p, 0.01, 1e-3));
        assertSame(expected, w);
    }

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "FLOAT_SCALAR", "DOUBLE"})
    void declinesWhatItCannotDoInOnePass(String type) {
        DataType t = mode(type);
        INDArray a = random(t, 0, 1);
        assertFalse(FusedElementwise.ema(a, random(t, 0, 1).transpose(), true, 0.9, 0.1), "non-contiguous operand");
        assertFalse(FusedElementwise.ema(a, random(t == DataType.FLOAT ? DataType.DOUBLE : DataType.FLOAT, 0, 1), true, 0.9, 0.1),
                "mixed types");
        assertFalse(FusedElementwise.ema(a, a.get(NDArrayIndex.all(), NDArrayIndex.interval(0, 10)), true, 0.9, 0.1), "lengths");
    }

    /** Σ x² of x's values, exactly (BigDecimal), rounded once to double. */
    private static double exactSumOfSquares(INDArray x) {
        BigDecimal s = BigDecimal.ZERO;
        for (double v : x.castTo(DataType.DOUBLE).dup('c').data().asDouble()) {
            BigDecimal b = new BigDecimal(v);
            s = s.add(b.multiply(b));
        }
        return s.doubleValue();
    }

    /**
     * The reduction against the exact sum on a whole array and on an offset view. Tolerance 1e-11 relative: the scalar
     * loop adds at most 65,536 non-negative terms per chunk, so its error is at most 65,536·2⁻⁵³ ≈ 7.3e-12 of the sum (the
     * vector loops split each chunk over more accumulators and do better); float32 squares are exact in float64.
     */
    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "FLOAT_SCALAR", "DOUBLE"})
    void sumOfSquaresAgreesWithTheExactSum(String type) {
        DataType t = mode(type);
        for (INDArray x : new INDArray[] {random(t, -3, 5), view(t, -3, 5)}) {
            double expected = exactSumOfSquares(x);
            OptionalDouble actual = FusedElementwise.sumOfSquares(x);
            assertTrue(actual.isPresent());
            assertEquals(expected, actual.getAsDouble(), 1e-11 * expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "FLOAT_SCALAR", "DOUBLE"})
    void sumOfSquaresIsNotFiniteWhenAnEntryIsNot(String type) {
        DataType t = mode(type);
        // the first index lies in a whole vector of the first chunk, the last ones in the scalar tail
        for (long i : new long[] {5, ROWS * COLS / 2 + 3, ROWS * COLS - 1}) {
            for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                INDArray x = random(t, -1, 1);
                x.putScalar(i, bad);
                assertFalse(Double.isFinite(FusedElementwise.sumOfSquares(x).getAsDouble()), "entry " + i + " = " + bad);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "FLOAT_SCALAR", "DOUBLE"})
    void sumOfSquaresDeclinesANonContiguousArray(String type) {
        DataType t = mode(type);
        assertFalse(FusedElementwise.sumOfSquares(random(t, 0, 1).transpose()).isPresent());
        assertNotEquals(OptionalDouble.empty(), FusedElementwise.sumOfSquares(random(t, 0, 1)));
    }

    /** Scaling rows or columns against ND4J's column and row broadcasts, on a whole array and on an offset view. */
    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "FLOAT_SCALAR", "DOUBLE"})
    void scaleAlongRowsAndColumns(String type) {
        DataType t = mode(type);
        for (INDArray x : new INDArray[] {random(t, -2, 2), view(t, -2, 2)}) {
            INDArray perRow = Nd4j.rand(t, x.size(0)).addi(0.5);
            INDArray perColumn = Nd4j.rand(t, x.size(1)).addi(0.5);
            INDArray out = Nd4j.createUninitialized(t, x.shape(), 'c');
            assertTrue(FusedElementwise.scaleAlong(out, x, perRow, true));
            assertSame(x.mulColumnVector(perRow.reshape(x.size(0), 1)), out);
            assertTrue(FusedElementwise.scaleAlong(out, x, perColumn, false));
            assertSame(x.mulRowVector(perColumn), out);
            assertFalse(FusedElementwise.scaleAlong(out, x, perColumn, true), "one factor per row expected");
        }
    }

    /**
     * Row and column sums of squares against sums in index order, on a whole array and on an offset view. Tolerance:
     * 1e-12 relative in float64 (about 400 non-negative terms per sum, each order's error below 400·2⁻⁵³ ≈ 4.4e-14); in
     * float32 the float64 sums are rounded once to float, 2⁻²⁴ ≈ 6e-8 relative, so 1e-7.
     */
    @ParameterizedTest
    @ValueSource(strings = {"FLOAT", "FLOAT_SCALAR", "DOUBLE"})
    void rowAndColumnSumsOfSquares(String type) {
        DataType t = mode(type);
        double tol = t == DataType.FLOAT ? 1e-7 : 1e-12;
        for (INDArray x : new INDArray[] {random(t, -2, 2), view(t, -2, 2)}) {
            int rows = (int) x.size(0);
            INDArray rowSums = Nd4j.createUninitialized(t, new long[] {rows, 1}, 'c');
            INDArray columnSums = Nd4j.createUninitialized(t, new long[] {1, COLS}, 'c');
            assertTrue(FusedElementwise.rowAndColumnSumsOfSquares(x, rowSums, columnSums));
            double[][] v = x.castTo(DataType.DOUBLE).toDoubleMatrix();
            for (int i = 0; i < rows; i++) {
                double e = 0;
                for (int j = 0; j < COLS; j++) {
                    e += v[i][j] * v[i][j];
                }
                assertEquals(e, rowSums.getDouble(i), tol * e, "row " + i);
            }
            for (int j = 0; j < COLS; j++) {
                double e = 0;
                for (int i = 0; i < rows; i++) {
                    e += v[i][j] * v[i][j];
                }
                assertEquals(e, columnSums.getDouble(j), tol * e, "column " + j);
            }
            assertFalse(FusedElementwise.rowAndColumnSumsOfSquares(x, columnSums, rowSums), "sums of the wrong lengths");
        }
    }
}
