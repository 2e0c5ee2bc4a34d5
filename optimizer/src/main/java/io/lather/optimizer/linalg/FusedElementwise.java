package io.lather.optimizer.linalg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.OptionalDouble;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The optimizer's element-wise updates, and the sum of squares behind its norms and finiteness checks, as single passes
 * over ND4J's memory, split across the cores.
 *
 * <p>Why: every ND4J element-wise op is one full pass over its operands, so an update such as
 * V ← β·V + w·G⊙G (four ops) or H/(√(V/bc) + ε) (four ops) reads and writes each 4 MiB array several times; measured at
 * n = 1024 on the benchmark machine the fused passes take 0.39 ms and 0.95 ms against 1.49 ms and 2.85 ms as ND4J ops
 * (docs/BENCHMARKS.md §1).
 *
 * <p>Every element-wise kernel performs the same IEEE operations in the same order as the ND4J op sequence it replaces,
 * in the arrays' own precision (Java never contracts a·b + c into a fused multiply-add), so results agree with the op
 * sequences to the last bit up to how ND4J rounds its scalar arguments. A kernel applies only to c-contiguous arrays of
 * one type (float32 or float64) and one length and returns false (or nothing) otherwise; callers then use the ND4J ops.
 *
 * <p>Float32 element-wise passes run whole vectors through {@link VectorLoops} (the JDK Vector API) when the JVM has its
 * module, and the scalar loop below does the tail; both give the same bits. The sum of squares, a reduction, uses the
 * Vector API for both precisions and agrees with its scalar loop to float64 rounding. On a backend whose arrays are not in
 * host memory (CUDA) no kernel applies.
 */
public final class FusedElementwise {
    /** Below this many elements one thread does the pass (splitting costs more than it saves). */
    private static final int PARALLEL_THRESHOLD = 1 << 16;
    /**
     * Elements per partial sum of {@link #sumOfSquares}. Fixed (not one chunk per core) so that the additions, and hence
     * the result, are the same on every machine.
     */
    private static final int REDUCTION_CHUNK = 1 << 16;
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    /**
     * Whether ND4J arrays live in host memory that may be read and written directly (the CPU backend). On the CUDA
     * backend an array's primary copy is on the device and its host buffer is a mirror that direct writes would bypass,
     * so every direct-memory path of this package (these kernels, {@link SymmetricRankK}, the in-place {@code dsyevd})
     * steps aside there and the callers use ND4J ops or copies.
     */
    private static final boolean HOST_MEMORY = Nd4j.getEnvironment().isCPU();
    /** Whether the loops run on the Vector API ({@link VectorLoops}); false when its module is absent. */
    private static boolean vectorLoops = vectorApiPresent();

    private FusedElementwise() {}

    /** y ← y·β + (x⊙x)·w, or y ← y·β + x·w when {@code square} is false (the EMA of squares or of a matrix). */
    public static boolean ema(INDArray y, INDArray x, boolean square, double beta, double w) {
        if (!applies(y, x)) {
            return false;
        }
        if (y.dataType() == DataType.FLOAT) {
            FloatBuffer yb = floats(y);
            FloatBuffer xb = floats(x);
            float b = (float) beta;
            float fw = (float) w;
            int yo = (int) y.offset();
            int xo = (int) x.offset();
            ByteBuffer[] v = byteViews(y, x);
            forChunks(y.length(), (lo, hi) -> {
                int i = v == null ? lo : VectorLoops.ema(v[0], yo, v[1], xo, lo, hi, square, b, fw);
                for (; i < hi; i++) {
                    float xi = xb.get(xo + i);
                    yb.put(yo + i, yb.get(yo + i) * b + (square ? xi * xi : xi) * fw);
                }
            });
        } else {
            DoubleBuffer yb = doubles(y);
            DoubleBuffer xb = doubles(x);
            int yo = (int) y.offset();
            int xo = (int) x.offset();
            forChunks(y.length(), (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    double xi = xb.get(xo + i);
                    yb.put(yo + i, yb.get(yo + i) * beta + (square ? xi * xi : xi) * w);
                }
            });
        }
        return true;
    }

    /** out ← h / (√(v/bc) + ε): Adam's direction (and EShampoo's in the eigenbasis). {@code out} may alias h. */
    public static boolean adamDirection(INDArray out, INDArray h, INDArray v, double bc, double eps) {
        return adamDirection(out, h, 1.0, v, bc, eps); // x / 1 is exact: the same values as without the divisor
    }

    /**
     * out ← (h / hDivisor) / (√(v/bc) + ε): Adam's direction of h/hDivisor, as {@code out.assign(h).divi(hDivisor)}
     * followed by the op sequence. {@code out} may alias h.
     */
    public static boolean adamDirection(INDArray out, INDArray h, double hDivisor, INDArray v, double bc, double eps) {
        if (!applies(out, h, v)) {
            return false;
        }
        if (out.dataType() == DataType.FLOAT) {
            FloatBuffer ob = floats(out);
            FloatBuffer hb = floats(h);
            FloatBuffer vb = floats(v);
            float fdiv = (float) hDivisor;
            float fbc = (float) bc;
            float feps = (float) eps;
            int oo = (int) out.offset();
            int ho = (int) h.offset();
            int vo = (int) v.offset();
            ByteBuffer[] views = byteViews(out, h, v);
            forChunks(out.length(), (lo, hi) -> {
                int i = views == null ? lo
                        : VectorLoops.adamDirection(views[0], oo, views[1], ho, views[2], vo, lo, hi, fdiv, fbc, feps);
                for (; i < hi; i++) {
                    ob.put(oo + i, hb.get(ho + i) / fdiv / ((float) Math.sqrt(vb.get(vo + i) / fbc) + feps));
                }
            });
        } else {
            DoubleBuffer ob = doubles(out);
            DoubleBuffer hb = doubles(h);
            DoubleBuffer vb = doubles(v);
            int oo = (int) out.offset();
            int ho = (int) h.offset();
            int vo = (int) v.offset();
            forChunks(out.length(), (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    ob.put(oo + i, hb.get(ho + i) / hDivisor / (Math.sqrt(vb.get(vo + i) / bc) + eps));
                }
            });
        }
        return true;
    }

    /** m ← lerp(m, g, w) with torch.lerp's two branches (the β1 filter without the bias-corrected copy). */
    public static boolean lerp(INDArray m, INDArray g, double w) {
        return lerpWithScaledCopy(m, g, w, null, 1.0);
    }

    /**
     * m ← lerp(m, g, w) with torch.lerp's two branches, then h ← m / bc (the β1-filtered gradient and its bias-corrected
     * copy).
     */
    public static boolean lerpAndScaledCopy(INDArray m, INDArray g, double w, INDArray h, double bc) {
        return lerpWithScaledCopy(m, g, w, h, bc);
    }

    /** The one lerp pass of {@link #lerp} (h null) and {@link #lerpAndScaledCopy}. */
    private static boolean lerpWithScaledCopy(INDArray m, INDArray g, double w, INDArray h, double bc) {
        if (h == null ? !applies(m, g) : !applies(m, g, h)) {
            return false;
        }
        boolean low = w < 0.5;
        int mo = (int) m.offset();
        int go = (int) g.offset();
        int ho = h == null ? 0 : (int) h.offset();
        if (m.dataType() == DataType.FLOAT) {
            FloatBuffer mb = floats(m);
            FloatBuffer gb = floats(g);
            FloatBuffer hb = h == null ? null : floats(h);
            float fw = (float) (low ? w : 1.0 - w);
            float fbc = (float) bc;
            ByteBuffer[] v = h == null ? byteViews(m, g) : byteViews(m, g, h);
            forChunks(m.length(), (lo, hi) -> {
                int i = v == null ? lo : VectorLoops.lerp(v[0], mo, v[1], go, h == null ? null : v[2], ho, lo, hi, low, fw, fbc);
                for (; i < hi; i++) {
                    float a = mb.get(mo + i);
                    float b = gb.get(go + i);
                    float r = low ? a + (b - a) * fw : b - (b - a) * fw;
                    mb.put(mo + i, r);
                    if (hb != null) {
                        hb.put(ho + i, r / fbc);
                    }
                }
            });
        } else {
            DoubleBuffer mb = doubles(m);
            DoubleBuffer gb = doubles(g);
            DoubleBuffer hb = h == null ? null : doubles(h);
            double dw = low ? w : 1.0 - w;
            forChunks(m.length(), (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    double a = mb.get(mo + i);
                    double b = gb.get(go + i);
                    double r = low ? a + (b - a) * dw : b - (b - a) * dw;
                    mb.put(mo + i, r);
                    if (hb != null) {
                        hb.put(ho + i, r / bc);
                    }
                }
            });
        }
        return true;
    }

    /**
     * Σ x² accumulated in float64, or empty when the kernel does not apply. For a float32 array every square is exact in
     * float64 and the sum cannot overflow, so the result is finite exactly when every entry is. Partial sums over fixed
     * chunks are computed in parallel and added in chunk order: the result does not depend on the number of cores.
     */
    public static OptionalDouble sumOfSquares(INDArray x) {
        if (!applies(x)) {
            return OptionalDouble.empty();
        }
        int n = (int) x.length();
        int xo = (int) x.offset();
        boolean single = x.dataType() == DataType.FLOAT;
        FloatBuffer fb = single ? floats(x) : null;
        DoubleBuffer db = single ? null : doubles(x);
        ByteBuffer[] v = byteViews(x);
        double[] partial = new double[(n + REDUCTION_CHUNK - 1) / REDUCTION_CHUNK];
        IntStream chunks = IntStream.range(0, partial.length);
        (partial.length > 1 ? chunks.parallel() : chunks).forEach(c -> {
            int lo = c * REDUCTION_CHUNK;
            int hi = Math.min(n, lo + REDUCTION_CHUNK);
            if (v != null) {
                partial[c] = single ? VectorLoops.sumOfSquaresFloat(v[0], xo, lo, hi) : VectorLoops.sumOfSquaresDouble(v[0], xo, lo, hi);
                return;
            }
            double s = 0;
            for (int i = lo; i < hi; i++) {
                double e = single ? fb.get(xo + i) : db.get(xo + i);
                s += e * e;
            }
            partial[c] = s;
        });
        double sum = 0;
        for (double p : partial) {
            sum += p;
        }
        return OptionalDouble.of(sum);
    }

    /** Rows per partial column sum of {@link #rowAndColumnSumsOfSquares}: fixed, as {@link #REDUCTION_CHUNK}. */
    private static final int ROW_CHUNK = 64;

    /**
     * rowSums[i] ← Σ_j x[i, j]², columnSums[j] ← Σ_i x[i, j]² in one pass over a 2-D array, accumulated in float64 and
     * stored in x's type (the per-factor eigenvalue EMA's diag(Q_0ᵀGGᵀQ_0) and diag(Q_1ᵀGᵀGQ_1) from rot(G)). Row blocks
     * of fixed height run in parallel, each with its own partial column sums, which are added in block order: the result
     * does not depend on the number of cores.
     *
     * @param rowSums a vector of x's type with x.size(0) entries (overwritten)
     * @param columnSums a vector of x's type with x.size(1) entries (overwritten)
     */
    public static boolean rowAndColumnSumsOfSquares(INDArray x, INDArray rowSums, INDArray columnSums) {
        if (x.rank() != 2 || !applies(x) || !applies(rowSums) || !applies(columnSums) || rowSums.dataType() != x.dataType()
                || columnSums.dataType() != x.dataType() || rowSums.length() != x.size(0) || columnSums.length() != x.size(1)) {
            return false;
        }
        int rows = (int) x.size(0);
        int cols = (int) x.size(1);
        int xo = (int) x.offset();
        boolean single = x.dataType() == DataType.FLOAT;
        FloatBuffer xf = single ? floats(x) : null;
        DoubleBuffer xd = single ? null : doubles(x);
        ByteBuffer[] v = single ? byteViews(x) : null;
        double[] rowTotals = new double[rows];
        double[][] partialColumns = new double[(rows + ROW_CHUNK - 1) / ROW_CHUNK][cols];
        IntStream blocks = IntStream.range(0, partialColumns.length);
        (x.length() >= PARALLEL_THRESHOLD ? blocks.parallel() : blocks).forEach(b -> {
            double[] col = partialColumns[b];
            for (int i = b * ROW_CHUNK; i < Math.min(rows, (b + 1) * ROW_CHUNK); i++) {
                int base = xo + i * cols;
                if (v != null) {
                    rowTotals[i] = VectorLoops.rowSumOfSquaresFloat(v[0], base, cols, col);
                    continue;
                }
                // four row accumulators, so that the additions do not wait on each other
                double r0 = 0;
                double r1 = 0;
                double r2 = 0;
                double r3 = 0;
                int j = 0;
                for (; j + 4 <= cols; j += 4) {
                    double e0 = single ? xf.get(base + j) : xd.get(base + j);
                    double e1 = single ? xf.get(base + j + 1) : xd.get(base + j + 1);
                    double e2 = single ? xf.get(base + j + 2) : xd.get(base + j + 2);
                    double e3 = single ? xf.get(base + j + 3) : xd.get(base + j + 3);
                    double s0 = e0 * e0;
                    double s1 = e1 * e1;
                    double s2 = e2 * e2;
                    double s3 = e3 * e3;
                    r0 += s0;
                    r1 += s1;
                    r2 += s2;
                    r3 += s3;
                    col[j] += s0;
                    col[j + 1] += s1;
                    col[j + 2] += s2;
                    col[j + 3] += s3;
                }
                for (; j < cols; j++) {
                    double e = single ? xf.get(base + j) : xd.get(base + j);
                    r0 += e * e;
                    col[j] += e * e;
                }
                rowTotals[i] = (r0 + r1) + (r2 + r3);
            }
        });
        double[] columnTotals = new double[cols];
        for (double[] col : partialColumns) {
            for (int j = 0; j < cols; j++) {
                columnTotals[j] += col[j];
            }
        }
        rowSums.assign(Nd4j.createFromArray(rowTotals).reshape(rowSums.shape()));
        columnSums.assign(Nd4j.createFromArray(columnTotals).reshape(columnSums.shape()));
        return true;
    }

    /**
     * out[i, j] ← x[i, j]·s[i] ({@code rows}) or x[i, j]·s[j]: a 2-D array times a diagonal matrix from the left or the
     * right, as ND4J's column or row broadcast computes it (one product per element), without its temporary arrays.
     *
     * @param s a vector of x's type with one entry per row (rows) or per column
     */
    public static boolean scaleAlong(INDArray out, INDArray x, INDArray s, boolean rows) {
        if (x.rank() != 2 || out.rank() != 2 || !applies(out, x) || !applies(s) || s.dataType() != x.dataType()
                || s.length() != x.size(rows ? 0 : 1)) {
            return false;
        }
        int cols = (int) x.size(1);
        int xo = (int) x.offset();
        int oo = (int) out.offset();
        double[] f = s.castTo(DataType.DOUBLE).toDoubleVector();
        if (x.dataType() == DataType.FLOAT) {
            FloatBuffer xb = floats(x);
            FloatBuffer ob = floats(out);
            float[] ff = new float[f.length];
            for (int k = 0; k < f.length; k++) {
                ff[k] = (float) f[k];
            }
            forChunks(x.length(), (lo, hi) -> {
                int r = lo / cols;
                int c = lo % cols;
                for (int i = lo; i < hi; i++) {
                    ob.put(oo + i, xb.get(xo + i) * ff[rows ? r : c]);
                    if (++c == cols) {
                        c = 0;
                        r++;
                    }
                }
            });
        } else {
            DoubleBuffer xb = doubles(x);
            DoubleBuffer ob = doubles(out);
            forChunks(x.length(), (lo, hi) -> {
                int r = lo / cols;
                int c = lo % cols;
                for (int i = lo; i < hi; i++) {
                    ob.put(oo + i, xb.get(xo + i) * f[rows ? r : c]);
                    if (++c == cols) {
                        c = 0;
                        r++;
                    }
                }
            });
        }
        return true;
    }

    /** w ← w + (p + α·w)·(−lr): decoupled weight decay, learning rate and the parameter update in one pass. */
    public static boolean decayAndApply(INDArray w, INDArray p, double alpha, double lr) {
        if (!applies(w, p)) {
            return false;
        }
        if (w.dataType() == DataType.FLOAT) {
            FloatBuffer wb = floats(w);
            FloatBuffer pb = floats(p);
            float fa = (float) alpha;
            float flr = (float) -lr;
            int wo = (int) w.offset();
            int po = (int) p.offset();
            ByteBuffer[] v = byteViews(w, p);
            forChunks(w.length(), (lo, hi) -> {
                int i = v == null ? lo : VectorLoops.decayAndApply(v[0], wo, v[1], po, lo, hi, fa, flr);
                for (; i < hi; i++) {
                    float wi = wb.get(wo + i);
                    wb.put(wo + i, wi + (pb.get(po + i) + wi * fa) * flr);
                }
            });
        } else {
            DoubleBuffer wb = doubles(w);
            DoubleBuffer pb = doubles(p);
            double nlr = -lr;
            int wo = (int) w.offset();
            int po = (int) p.offset();
            forChunks(w.length(), (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    double wi = wb.get(wo + i);
                    wb.put(wo + i, wi + (pb.get(po + i) + wi * alpha) * nlr);
                }
            });
        }
        return true;
    }

    private interface Range {
        void run(int lo, int hi);
    }

    /** See {@link #HOST_MEMORY}. */
    static boolean hostMemory() {
        return HOST_MEMORY;
    }

    private static boolean vectorApiPresent() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return VectorLoops.lanes() > 0;
        } catch (LinkageError e) {
            return false;
        }
    }

    /** Whether the loops currently run on the Vector API. */
    static boolean vectorLoopsOn() {
        return vectorLoops;
    }

    /** Turns the Vector API loops off or on (tests compare both paths); returns the previous setting. */
    static boolean useVectorLoops(boolean on) {
        boolean before = vectorLoops;
        vectorLoops = on && vectorApiPresent();
        return before;
    }

    /**
     * Native-order byte views of arrays that already passed {@link #applies}, for {@link VectorLoops}; null when the loops
     * are off or a view does not start where the typed view does (then the scalar loops run).
     */
    private static ByteBuffer[] byteViews(INDArray... arrays) {
        if (!vectorLoops) {
            return null;
        }
        ByteBuffer[] views = new ByteBuffer[arrays.length];
        for (int k = 0; k < arrays.length; k++) {
            INDArray a = arrays[k];
            ByteBuffer b = a.data().asNio().duplicate().order(ByteOrder.nativeOrder());
            int width = a.dataType() == DataType.FLOAT ? Float.BYTES : Double.BYTES;
            long first = a.offset();
            long last = first + a.length() - 1;
            if ((last + 1) * width > b.capacity() || (last + 1) * width > Integer.MAX_VALUE
                    || !sameBitsAt(b, a, (int) first) || !sameBitsAt(b, a, (int) last)) {
                return null;
            }
            views[k] = b;
        }
        return views;
    }

    /** Whether byte view {@code b} holds at element {@code i} the bits of a's typed NIO view. */
    private static boolean sameBitsAt(ByteBuffer b, INDArray a, int i) {
        return a.dataType() == DataType.FLOAT
                ? Float.floatToRawIntBits(b.getFloat(i * Float.BYTES)) == Float.floatToRawIntBits(floats(a).get(i))
                : Double.doubleToRawLongBits(b.getDouble(i * Double.BYTES)) == Double.doubleToRawLongBits(doubles(a).get(i));
    }

    private static void forChunks(long length, Range body) {
        int n = (int) length;
        int chunks = n < PARALLEL_THRESHOLD ? 1 : Math.min(CORES, n / (PARALLEL_THRESHOLD / 2));
        if (chunks <= 1) {
            body.run(0, n);
            return;
        }
        IntStream.range(0, chunks).parallel().forEach(c -> body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks)));
    }

    /** Whether the kernels apply: dense c-ordered float32/float64 arrays of one type and length (see {@link #dense}). */
    static boolean applies(INDArray first, INDArray... others) {
        if (!HOST_MEMORY) {
            return false;
        }
        DataType t = first.dataType();
        if ((t != DataType.FLOAT && t != DataType.DOUBLE) || first.length() > Integer.MAX_VALUE / 2 || !dense(first)) {
            return false;
        }
        for (INDArray o : others) {
            if (o.dataType() != t || o.length() != first.length() || !dense(o)) {
                return false;
            }
        }
        return true;
    }

    /**
     * c-contiguous, and addressable as elements [offset, offset + length) of the NIO view of its buffer (which for an
     * ND4J view starts at the underlying buffer's first element). The first and last elements are compared with ND4J's
     * own indexing, so an array whose buffer is laid out differently is declined rather than misread.
     */
    private static boolean dense(INDArray a) {
        if (a.isEmpty() || !Tensors.isRowMajorContiguous(a)) {
            return false;
        }
        long first = a.offset();
        long last = first + a.length() - 1;
        if (a.dataType() == DataType.FLOAT) {
            FloatBuffer b = floats(a);
            return last < b.capacity() && sameBits(b.get((int) first), a.getDouble(0)) && sameBits(b.get((int) last), a.getDouble(a.length() - 1));
        }
        DoubleBuffer b = doubles(a);
        return last < b.capacity() && sameBits(b.get((int) first), a.getDouble(0)) && sameBits(b.get((int) last), a.getDouble(a.length() - 1));
    }

    private static boolean sameBits(double x, double y) {
        return Double.doubleToLongBits(x) == Double.doubleToLongBits(y);
    }

    private static FloatBuffer floats(INDArray a) {
        return a.data().asNioFloat();
    }

    private static DoubleBuffer doubles(INDArray a) {
        return a.data().asNioDouble();
    }
}
