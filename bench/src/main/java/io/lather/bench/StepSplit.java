package io.lather.bench;

import io.lather.optimizer.Optimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Regular and amortized optimizer steps timed apart, on the problem of {@link OptimizerStepBenchmark} (one square n×n
 * float32 parameter, preset defaults): JMH's mean per step cannot tell whether a change moved the steps that only
 * precondition or the one in F that also recomputes the eigendecompositions. Not a JMH benchmark: 100 steps after 22
 * warm-up steps, wall-clock per step, medians and ranges printed; use it to locate time, and JMH to measure it.
 *
 * <pre>
 * OMP_WAIT_POLICY=PASSIVE OPENBLAS_CORETYPE=Haswell java --add-modules jdk.incubator.vector -Xmx8g \
 *     -Dorg.bytedeco.javacpp.cachedir=$PWD/target/javacpp-cache -cp bench/target/benchmarks.jar \
 *     io.lather.bench.StepSplit 1024 shampoo eshampoo per-factor-ema
 * </pre>
 */
public final class StepSplit {
    private static final int WARMUP_STEPS = 22;
    private static final int STEPS = 100;

    private StepSplit() {}

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: StepSplit <n> <preset>...");
            System.exit(2);
        }
        int n = Integer.parseInt(args[0]);
        for (String preset : Arrays.copyOfRange(args, 1, args.length)) {
            List<Map<String, INDArray>> gradients = new ArrayList<>();
            Optimizer optimizer = OptimizerStepBenchmark.createProblem(preset, n, gradients);
            for (int t = 0; t < WARMUP_STEPS; t++) {
                optimizer.step(gradients.get(t % gradients.size()));
            }
            List<Double> regular = new ArrayList<>();
            List<Double> amortized = new ArrayList<>();
            long start = System.nanoTime();
            for (int t = 0; t < STEPS; t++) {
                long computations = optimizer.statistics().factorComputations();
                long t0 = System.nanoTime();
                optimizer.step(gradients.get(t % gradients.size()));
                double ms = (System.nanoTime() - t0) / 1e6;
                (optimizer.statistics().factorComputations() > computations ? amortized : regular).add(ms);
            }
            double mean = (System.nanoTime() - start) / 1e6 / STEPS;
            System.out.printf("%s n=%d: mean %.1f ms/step | regular steps %s | amortized steps %s%n", preset, n, mean,
                    summary(regular), summary(amortized));
        }
    }

    private static String summary(List<Double> ms) {
        if (ms.isEmpty()) {
            return "none";
        }
        Collections.sort(ms);
        return String.format("median %.1f ms (%.1f–%.1f, %d steps)", ms.get(ms.size() / 2), ms.get(0), ms.get(ms.size() - 1), ms.size());
    }
}
