package io.lather.bench;

import io.lather.optimizer.linalg.Tensors;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ND4J's GEMM rate (OpenBLAS) for square n×n products, in the transpose form the optimizer uses most (AᵀB), through the
 * optimizer's own {@link Tensors#gemm} entry point: time per product; GFLOP/s = 2n³ / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "--add-modules=jdk.incubator.vector"})
public class GemmBenchmark {
    @Param({"256", "512", "1024"})
    public int n;

    @Param({"float32", "float64"})
    public String precision;

    private INDArray a;
    private INDArray b;
    private INDArray out;

    @Setup
    public void setUp() {
        DataType t = precision.equals("float32") ? DataType.FLOAT : DataType.DOUBLE;
        SplittableRandom rnd = new SplittableRandom(1);
        double[] v = new double[n * n];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextDouble() - 0.5;
        }
        a = Nd4j.createFromArray(v).reshape(n, n).castTo(t);
        b = a.add(0.25);
        out = Nd4j.createUninitialized(t, new long[] {n, n}, 'c');
    }

    @Benchmark
    public INDArray gemm() {
        return Tensors.gemm(a, true, b, false, out);
    }
}
