package io.lather.models;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Deterministic test inputs from java.util.SplittableRandom (no ND4J RNG, so tests do not depend on its seeding). */
final class TestData {
    private TestData() {
    }

    /** {@code [rows, cols]} standard-normal values. */
    static INDArray normal(long seed, int rows, int cols, DataType dt) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return Nd4j.create(v, new long[]{rows, cols}, DataType.DOUBLE).castTo(dt);
    }

    /** {@code [rows]} class indices in [0, k) as doubles. */
    static INDArray classes(long seed, int rows, int k, DataType dt) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[rows];
        for (int i = 0; i < rows; i++) {
            v[i] = r.nextInt(k);
        }
        return Nd4j.create(v, new long[]{rows}, DataType.DOUBLE).castTo(dt);
    }

    /** Labels suitable for the model's task (class indices, normal targets, or null). */
    static INDArray labels(ModelSpec spec, long seed, int rows, DataType dt) {
        return switch (spec.task()) {
            case CLASSIFICATION -> classes(seed, rows, spec.outputDim(), dt);
            case REGRESSION -> normal(seed, rows, spec.outputDim(), dt);
            case RECONSTRUCTION -> null;
        };
    }

    /**
     * The model's initial parameters plus 0.1·N(0, 1) noise on every entry, so biases are not all zero and the
     * gradient checks exercise general points.
     */
    static Map<String, INDArray> perturbedParameters(Model model, long seed) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        model.initialParameters(seed).forEach((name, a) -> {
            INDArray b = a.dup();
            for (long i = 0; i < b.length(); i++) {
                b.putScalar(i, b.getDouble(i) + 0.1 * r.nextGaussian());
            }
            out.put(name, b);
        });
        return out;
    }

    /** Row slice [from, to) of a matrix or vector, as a new array (null stays null). */
    static INDArray rows(INDArray a, int from, int to) {
        if (a == null) {
            return null;
        }
        return a.rank() == 1 ? a.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to)).dup()
                : a.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).dup();
    }

    /** ‖a − b‖ / max(‖a‖, ‖b‖), 0 when both are 0. */
    static double relativeError(INDArray a, INDArray b) {
        double scale = Math.max(a.norm2Number().doubleValue(), b.norm2Number().doubleValue());
        return scale == 0 ? 0 : a.sub(b).norm2Number().doubleValue() / scale;
    }

    /**
     * Same names in the same order, same shapes and data types, bit-identical values. ({@code INDArray.equals}
     * compares with a tolerance of 1e-5, too loose for determinism checks.)
     */
    static void assertSameBits(Map<String, INDArray> expected, Map<String, INDArray> actual) {
        org.junit.jupiter.api.Assertions.assertEquals(java.util.List.copyOf(expected.keySet()), java.util.List.copyOf(actual.keySet()));
        expected.forEach((name, e) -> {
            INDArray a = actual.get(name);
            org.junit.jupiter.api.Assertions.assertArrayEquals(e.shape(), a.shape(), name);
            org.junit.jupiter.api.Assertions.assertEquals(e.dataType(), a.dataType(), name);
            double[] x = e.dup('c').data().asDouble();
            double[] y = a.dup('c').data().asDouble();
            for (int i = 0; i < x.length; i++) {
                org.junit.jupiter.api.Assertions.assertEquals(Double.doubleToRawLongBits(x[i]), Double.doubleToRawLongBits(y[i]),
                        name + "[" + i + "]");
            }
        });
    }
}
