package io.lather.optimizer.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
