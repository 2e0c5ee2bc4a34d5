package io.lather.bench;

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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A 1024² float64 copy into a fresh ND4J array ({@code dup}) against the same copy into a reused one ({@code assign}): the
 * price of one off-heap allocation on this machine, which decides whether the optimizer keeps scratch arrays
 * ({@code WorkBuffers}, the amortized jobs' per-thread scratch) instead of letting ND4J allocate. The fresh arrays are freed
 * by the garbage collector, as in an optimizer step that allocates.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "--add-modules=jdk.incubator.vector"})
public class AllocationBenchmark {
    private static final int N = 1024;

    private INDArray source;
    private INDArray reused;

    @Setup
    public void setUp() {
        source = Nd4j.rand(DataType.DOUBLE, N, N);
        reused = Nd4j.createUninitialized(DataType.DOUBLE, new long[] {N, N}, 'c');
    }

    @Benchmark
    public INDArray copyIntoFreshArray() {
        return source.dup('c');
    }

    @Benchmark
    public INDArray copyIntoReusedArray() {
        return reused.assign(source);
    }
}
