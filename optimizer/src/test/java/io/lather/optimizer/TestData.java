package io.lather.optimizer;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Deterministic test inputs: SplitMix64 (the golden files' generator) mapped to uniform values. */
public final class TestData {
    private long state;

    public TestData(long seed) {
        this.state = seed;
    }

    public long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [lo, hi), exactly as the golden files' recipe. */
    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * ((nextLong() >>> 11) * 0x1.0p-53);
    }

    public INDArray array(DataType type, double lo, double hi, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < n; i++) {
            v[i] = uniform(lo, hi);
        }
        INDArray a = Nd4j.createFromArray(v).castTo(type);
        return shape.length == 0 ? a.reshape(new long[0]).dup() : a.reshape(shape).dup();
    }

    /** A mixed parameter set: a blocked matrix, a vector, a scalar and an order-3 tensor. */
    public static Map<String, INDArray> parameters(DataType type, long seed) {
        TestData r = new TestData(seed);
        Map<String, INDArray> p = new LinkedHashMap<>();
        p.put("W", r.array(type, -0.5, 0.5, 12, 10));
        p.put("b", r.array(type, -0.1, 0.1, 7));
        p.put("s", r.array(type, -0.1, 0.1));
        p.put("V", r.array(type, -0.5, 0.5, 4, 3, 2));
        return p;
    }

    /** Gradients of the elementwise quadratic 0.5·Σ a⊙(W − c)² plus seeded noise, for the given parameters. */
    public Map<String, INDArray> gradients(Map<String, INDArray> params, double noise) {
        Map<String, INDArray> g = new LinkedHashMap<>();
        params.forEach((n, p) -> g.put(n, p.sub(0.25).addi(array(p.dataType(), -noise, noise, p.shape()))));
        return g;
    }

    /** Advances this stream past {@code steps} calls of {@link #gradients} for parameters of these shapes. */
    public TestData skipSteps(Map<String, INDArray> params, int steps) {
        for (int t = 0; t < steps; t++) {
            params.values().forEach(p -> array(p.dataType(), 0, 1, p.shape()));
        }
        return this;
    }

    /** Sum over parameters of 0.5·‖W − 0.25‖². */
    public static double loss(Map<String, INDArray> params) {
        double l = 0;
        for (INDArray p : params.values()) {
            INDArray d = p.castTo(DataType.DOUBLE).sub(0.25);
            l += 0.5 * d.mul(d).sumNumber().doubleValue();
        }
        return l;
    }

    /** Deep copies preserving order. */
    public static Map<String, INDArray> copy(Map<String, INDArray> m) {
        Map<String, INDArray> c = new LinkedHashMap<>();
        m.forEach((k, v) -> c.put(k, v.dup('c')));
        return c;
    }
}
