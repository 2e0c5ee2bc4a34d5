package io.lather.bench;

import io.lather.optimizer.linalg.Eigenpairs;
import io.lather.optimizer.linalg.LapackEigensolver;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.eigen.Eigen;
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
 * Symmetric eigendecomposition with vectors of an n×n SPD float64 matrix: Lather's LAPACK {@code dsyevd} path (including
 * the copies to and from the Java heap) next to ND4J's {@code Eigen.symmetricGeneralizedEigenvalues} ({@code dsyev}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "--add-modules=jdk.incubator.vector"})
public class EigensolverBenchmark {
    @Param({"256", "512", "1024"})
    public int n;

    private INDArray spd;

    @Setup
    public void setUp() {
        SplittableRandom rnd = new SplittableRandom(3);
        double[] v = new double[n * n];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextDouble() - 0.5;
        }
        INDArray g = Nd4j.createFromArray(v).reshape(n, n);
        spd = g.mmul(g.transpose()).castTo(DataType.DOUBLE);
    }

    @Benchmark
    public Eigenpairs latherDsyevd() {
        return LapackEigensolver.INSTANCE.eigh(spd, false);
    }

    @Benchmark
    public INDArray nd4jDsyev() {
        INDArray copy = spd.dup();
        return Eigen.symmetricGeneralizedEigenvalues(copy, true);
    }
}
