package io.lather.optimizer.linalg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The loops of {@link FusedElementwise} with the JDK's Vector API (incubator module {@code jdk.incubator.vector}, which
 * every Lather JVM adds: Spark's launcher option list, {@code bin/lather}, the Maven test JVMs, JMH's forks): the float32
 * element-wise kernels and the float32/float64 sums of squares.
 *
 * <p>Why: C2 does not auto-vectorise loops over NIO buffers, so the scalar kernels process one element per instruction.
 * Measured at n = 1024 on the benchmark machine: the EMA pass 0.64 → 0.27 ms, the Adam direction (a square root and two
 * divisions per element) 1.76 → 0.42 ms.
 *
 * <p>In the element-wise kernels every lane operation is the IEEE operation the scalar loop performs, in the same order,
 * and the Vector API never contracts a·b + c into a fused multiply-add unless asked, so results are bitwise those of the
 * scalar loops (and of the ND4J op sequences they replace; FusedElementwiseTest checks that with zero tolerance). Each of
 * them processes whole vectors from {@code lo} and returns the index where the caller's scalar loop takes over for the
 * tail. The sums of squares are reductions: they add in a different order than a scalar loop, so they agree with one to
 * float64 rounding, not bitwise. Offsets are in elements; the buffers are native-order byte views of ND4J's memory that
 * start at the buffer's first element.
 *
 * <p>Only {@link FusedElementwise} calls this class, and only when the module is in the JVM's boot layer: without it this
 * class cannot load and the scalar loops run.
 */
final class VectorLoops {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Doubles in a vector of the same size: a float vector widens into two of them. */
    private static final VectorSpecies<Double> D = VectorSpecies.of(double.class, F.vectorShape());
    /**
     * The byte order of every view (native), as a constant: C2 compiles {@code fromByteBuffer} into plain vector loads
     * only when the order is one. With {@code buffer.order()} a 4 MiB sum of squares took 0.83 ms on one core instead of
     * 0.16 ms (the element-wise kernels, bound by memory traffic, ran at the same speed either way).
     */
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private VectorLoops() {}

    /** The number of float lanes (a call that makes the class load, so that a missing module shows up at once). */
    static int lanes() {
        return F.length();
    }

    private static FloatVector load(ByteBuffer b, int offset, int i) {
        return FloatVector.fromByteBuffer(F, b, (offset + i) * Float.BYTES, NATIVE);
    }

    /** y ← y·β + (x⊙x)·w, or y·β + x·w. */
    static int ema(ByteBuffer y, int yo, ByteBuffer x, int xo, int lo, int hi, boolean square, float beta, float w) {
        int i = lo;
        for (; i <= hi - F.length(); i += F.length()) {
            FloatVector xv = load(x, xo, i);
            load(y, yo, i).mul(beta).add((square ? xv.mul(xv) : xv).mul(w)).intoByteBuffer(y, (yo + i) * Float.BYTES, NATIVE);
        }
        return i;
    }

    /** out ← h / div / (√(v / bc) + ε). */
    static int adamDirection(ByteBuffer out, int oo, ByteBuffer h, int ho, ByteBuffer v, int vo, int lo, int hi, float div,
            float bc, float eps) {
        int i = lo;
        for (; i <= hi - F.length(); i += F.length()) {
            FloatVector denominator = load(v, vo, i).div(bc).sqrt().add(eps);
            load(h, ho, i).div(div).div(denominator).intoByteBuffer(out, (oo + i) * Float.BYTES, NATIVE);
        }
        return i;
    }

    /** m ← m + (g − m)·w (low branch) or g − (g − m)·w (high branch, w = 1 − torch's weight); optionally h ← m / bc. */
    static int lerp(ByteBuffer m, int mo, ByteBuffer g, int go, ByteBuffer h, int ho, int lo, int hi, boolean low, float w,
            float bc) {
        int i = lo;
        for (; i <= hi - F.length(); i += F.length()) {
            FloatVector a = load(m, mo, i);
            FloatVector b = load(g, go, i);
            FloatVector step = b.sub(a).mul(w);
            FloatVector r = low ? a.add(step) : b.sub(step);
            r.intoByteBuffer(m, (mo + i) * Float.BYTES, NATIVE);
            if (h != null) {
                r.div(bc).intoByteBuffer(h, (ho + i) * Float.BYTES, NATIVE);
            }
        }
        return i;
    }

    /** w ← w + (p + w·α)·(−lr), with {@code negLr} = −lr. */
    static int decayAndApply(ByteBuffer w, int wo, ByteBuffer p, int po, int lo, int hi, float alpha, float negLr) {
        int i = lo;
        for (; i <= hi - F.length(); i += F.length()) {
            FloatVector wv = load(w, wo, i);
            wv.add(load(p, po, i).add(wv.mul(alpha)).mul(negLr)).intoByteBuffer(w, (wo + i) * Float.BYTES, NATIVE);
        }
        return i;
    }

    /**
     * Σ x² over elements [lo, hi) of a float32 view, in float64: each vector widens into two double vectors before
     * squaring (a float32 square is exact in float64), four independent accumulators hide the add latency, and the lanes
     * are added in lane order; the tail is added one element at a time.
     */
    static double sumOfSquaresFloat(ByteBuffer x, int xo, int lo, int hi) {
        DoubleVector a0 = DoubleVector.zero(D);
        DoubleVector a1 = a0;
        DoubleVector a2 = a0;
        DoubleVector a3 = a0;
        int step = 2 * F.length();
        int i = lo;
        for (; i <= hi - step; i += step) {
            FloatVector v = load(x, xo, i);
            FloatVector w = load(x, xo, i + F.length());
            DoubleVector v0 = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector v1 = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 1);
            DoubleVector w0 = (DoubleVector) w.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector w1 = (DoubleVector) w.convertShape(VectorOperators.F2D, D, 1);
            a0 = v0.fma(v0, a0);
            a1 = v1.fma(v1, a1);
            a2 = w0.fma(w0, a2);
            a3 = w1.fma(w1, a3);
        }
        double s = inLaneOrder(a0.add(a1).add(a2.add(a3)));
        for (; i < hi; i++) {
            double e = x.getFloat((xo + i) * Float.BYTES);
            s += e * e;
        }
        return s;
    }

    /** Σ x² over elements [lo, hi) of a float64 view, accumulated as {@link #sumOfSquaresFloat}. */
    static double sumOfSquaresDouble(ByteBuffer x, int xo, int lo, int hi) {
        DoubleVector a0 = DoubleVector.zero(D);
        DoubleVector a1 = a0;
        DoubleVector a2 = a0;
        DoubleVector a3 = a0;
        int n = D.length();
        int i = lo;
        for (; i <= hi - 4 * n; i += 4 * n) {
            DoubleVector v0 = loadDouble(x, xo, i);
            DoubleVector v1 = loadDouble(x, xo, i + n);
            DoubleVector v2 = loadDouble(x, xo, i + 2 * n);
            DoubleVector v3 = loadDouble(x, xo, i + 3 * n);
            a0 = v0.fma(v0, a0);
            a1 = v1.fma(v1, a1);
            a2 = v2.fma(v2, a2);
            a3 = v3.fma(v3, a3);
        }
        double s = inLaneOrder(a0.add(a1).add(a2.add(a3)));
        for (; i < hi; i++) {
            double e = x.getDouble((xo + i) * Double.BYTES);
            s += e * e;
        }
        return s;
    }

    /**
     * One row of {@link FusedElementwise#rowAndColumnSumsOfSquares} for float32: returns Σ_j x[j]² over the {@code cols}
     * elements from element {@code base} and adds each x[j]² to {@code columns[j]}, all in float64 (squares widened
     * first, as {@link #sumOfSquaresFloat}).
     */
    static double rowSumOfSquaresFloat(ByteBuffer x, int base, int cols, double[] columns) {
        DoubleVector r0 = DoubleVector.zero(D);
        DoubleVector r1 = r0;
        int half = D.length();
        int j = 0;
        for (; j <= cols - F.length(); j += F.length()) {
            FloatVector v = load(x, base, j);
            DoubleVector v0 = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
            DoubleVector v1 = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 1);
            DoubleVector s0 = v0.mul(v0);
            DoubleVector s1 = v1.mul(v1);
            r0 = r0.add(s0);
            r1 = r1.add(s1);
            DoubleVector.fromArray(D, columns, j).add(s0).intoArray(columns, j);
            DoubleVector.fromArray(D, columns, j + half).add(s1).intoArray(columns, j + half);
        }
        double s = inLaneOrder(r0.add(r1));
        for (; j < cols; j++) {
            double e = x.getFloat((base + j) * Float.BYTES);
            s += e * e;
            columns[j] += e * e;
        }
        return s;
    }

    private static DoubleVector loadDouble(ByteBuffer b, int offset, int i) {
        return DoubleVector.fromByteBuffer(D, b, (offset + i) * Double.BYTES, NATIVE);
    }

    /** The lanes' sum, added first to last (reduceLanes leaves the order of floating-point additions unspecified). */
    private static double inLaneOrder(DoubleVector v) {
        double s = 0;
        for (int k = 0; k < D.length(); k++) {
            s += v.lane(k);
        }
        return s;
    }
}
