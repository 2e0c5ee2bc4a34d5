package io.lather.bench;

import io.lather.optimizer.Optimizer;
import io.lather.optimizer.Optimizers;
import io.lather.optimizer.config.OptimizerConfig;
import io.lather.optimizer.config.OptimizerConfigParser;
import io.lather.optimizer.linalg.Tensors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One optimizer step on one square n×n float32 parameter (one block: max_preconditioner_dim = 1024), for the presets
 * with their own precondition frequency F = 10, so the average step time includes 1/10 of an amortized
 * eigendecomposition. The optimizer is warmed past its start step before measuring. One invocation runs a whole cycle of
 * F = 10 steps (reported per step), so every measured iteration holds exactly one amortized step per ten: with single
 * steps, where the ~0.25 s amortized steps fell relative to an iteration's end moved its average by several per cent.
 *
 * <p>At tear-down the benchmark prints the GEMM flops the optimizer issued per step (counted by
 * {@link Tensors#gemmFlops()}, i.e. exactly the products that ran, split by precision); {@code docs/BENCHMARKS.md} turns
 * them into achieved GFLOP/s and the fraction of the GEMM-bound time, using {@link GemmBenchmark}'s rate from the same run.
 * It also prints the n×n eigendecompositions per measured step, for the bound that counts their flops as well.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "--add-modules=jdk.incubator.vector"})
public class OptimizerStepBenchmark {
    @Param({"256", "512", "1024"})
    public int n;

    @Param({"shampoo", "eshampoo", "per-factor-ema", "adamw"})
    public String preset;

    private Optimizer optimizer;
    private final List<Map<String, INDArray>> gradients = new ArrayList<>();
    private int next;
    private long steps;
    private long[] flopsAtStart;
    private long factorComputationsAtStart;

    @Setup(Level.Trial)
    public void setUp() {
        optimizer = createProblem(preset, n, gradients);
        for (int t = 0; t < 12; t++) {
            singleStep();
        }
        steps = 0;
        flopsAtStart = Tensors.gemmFlops();
        factorComputationsAtStart = optimizer.statistics().factorComputations();
    }

    /**
     * The benchmarked problem (also {@link StepSplit}'s): the preset's optimizer over one n×n float32 parameter, and seven
     * gradients added to {@code gradients} to be fed in turn.
     */
    static Optimizer createProblem(String preset, int n, List<Map<String, INDArray>> gradients) {
        OptimizerConfig config = OptimizerConfigParser.parse(Map.of("optimizer", preset, "optimizer.lr", "1e-4"));
        SplittableRandom rnd = new SplittableRandom(42);
        Map<String, INDArray> params = new LinkedHashMap<>();
        params.put("W", random(rnd, n, 0.1));
        Optimizer optimizer = Optimizers.create(config, params);
        // a cycle of generic gradients keeps the factors full rank and the eigenproblems well separated
        for (int i = 0; i < 7; i++) {
            gradients.add(Map.of("W", random(rnd, n, 1.0)));
        }
        return optimizer;
    }

    /** An n×n float32 array of uniform entries in [−scale, scale). */
    private static INDArray random(SplittableRandom rnd, int n, double scale) {
        float[] v = new float[n * n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (scale * (rnd.nextDouble() * 2 - 1));
        }
        return Nd4j.createFromArray(v).reshape(n, n).castTo(DataType.FLOAT);
    }

    /** The precondition frequency of every benchmarked preset: one invocation is one amortization cycle. */
    private static final int CYCLE = 10;

    @Benchmark
    @OperationsPerInvocation(CYCLE)
    public void step() {
        for (int i = 0; i < CYCLE; i++) {
            singleStep();
        }
    }

    private void singleStep() {
        optimizer.step(gradients.get(next));
        next = (next + 1) % gradients.size();
        steps++;
    }

    @TearDown(Level.Trial)
    public void report() {
        long[] now = Tensors.gemmFlops();
        double f32 = (now[0] - flopsAtStart[0]) / (double) steps;
        double f64 = (now[1] - flopsAtStart[1]) / (double) steps;
        double eigh = (optimizer.statistics().factorComputations() - factorComputationsAtStart) / (double) steps;
        System.out.printf("%nLATHER-GEMM preset=%s n=%d steps=%d gemm_gflop_per_step_f32=%.4f gemm_gflop_per_step_f64=%.4f "
                + "eigendecompositions_per_step=%.4f%n", preset, n, steps, f32 / 1e9, f64 / 1e9, eigh);
    }
}
