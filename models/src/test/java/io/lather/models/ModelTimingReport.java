package io.lather.models;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Measurements for the module's report, not a test: graph build time, first-call (backward graph) time, and the
 * steady per-call time of {@code lossAndGradient} for a 256-row batch of 784 features through the mlp
 * 784-256-128-10, against the same maths written directly with ND4J ops (so the difference is SameDiff's
 * per-call overhead). Skipped unless run with {@code -Dlather.models.timing=true}:
 * <pre>mvn -B -ntp -pl models test -Dtest=ModelTimingReport -Dlather.models.timing=true</pre>
 */
@EnabledIfSystemProperty(named = "lather.models.timing", matches = "true")
class ModelTimingReport {
    static final int ROWS = 256;
    static final int REPEATS = 15;

    @Test
    void report() {
        long t0 = System.nanoTime();
        Nd4j.create(1);
        System.out.printf("ND4J backend initialisation: %.0f ms (once per JVM)%n", ms(System.nanoTime() - t0));

        List<ModelSpec> specs = List.of(new MlpSpec(784, new int[]{256, 128}, Activation.RELU, 10, Task.CLASSIFICATION),
                CnnSpec.withDefaults(1, 28, 28, 10), new LogisticRegressionSpec(784, 10),
                new AutoencoderSpec(784, new int[]{128}, 32, Activation.RELU));
        for (ModelSpec spec : specs) {
            for (Precision precision : Precision.values()) {
                measure(spec, precision);
            }
        }
        handWrittenMlp(DataType.FLOAT);
        handWrittenMlp(DataType.DOUBLE);
        tiny();
    }

    static void measure(ModelSpec spec, Precision precision) {
        DataType dt = precision.dataType();
        INDArray x = TestData.normal(1, ROWS, spec.inputDim(), dt);
        INDArray y = TestData.labels(spec, 2, ROWS, dt);
        // A throw-away model and call first, so the timings below are of a warm JVM (as in a long-running executor).
        Model warm = Model.build(spec, precision);
        warm.lossAndGradient(warm.initialParameters(1), x, y);
        double[] builds = new double[5];
        Model model = null;
        for (int i = 0; i < builds.length; i++) {
            long t = System.nanoTime();
            model = Model.build(spec, precision);
            builds[i] = ms(System.nanoTime() - t);
        }
        Map<String, INDArray> params = model.initialParameters(1);
        Model m = model;
        long t = System.nanoTime();
        m.lossAndGradient(params, x, y);
        double first = ms(System.nanoTime() - t);
        double grad = median(() -> m.lossAndGradient(params, x, y));
        double eval = median(() -> m.evaluate(params, x, y));
        double predict = median(() -> m.predict(params, x));
        System.out.printf("%s %s (%d parameters): build median %.1f ms; first lossAndGradient %.0f ms (≈ %.0f ms more "
                        + "than later calls: backward graph); per call, 256 rows: lossAndGradient %.1f ms, evaluate %.1f ms, "
                        + "predict %.1f ms%n",
                spec.describe(), precision, model.parameterCount(), median(builds), first, first - grad, grad, eval, predict);
    }

    /** The mlp 784-256-128-10 relu forward and backward with plain ND4J ops: the compute without SameDiff. */
    static void handWrittenMlp(DataType dt) {
        Model model = Model.build(new MlpSpec(784, new int[]{256, 128}, Activation.RELU, 10, Task.CLASSIFICATION),
                dt == DataType.FLOAT ? Precision.FLOAT32 : Precision.FLOAT64);
        Map<String, INDArray> p = model.initialParameters(1);
        INDArray x = TestData.normal(1, ROWS, 784, dt);
        INDArray oneHot = Nd4j.zeros(dt, ROWS, 10);
        for (int r = 0; r < ROWS; r++) {
            oneHot.putScalar(r, r % 10, 1.0);
        }
        double t = median(() -> {
            INDArray z1 = x.mmul(p.get("dense_0/W")).addiRowVector(p.get("dense_0/b"));
            INDArray h1 = Transforms.relu(z1, true);
            INDArray z2 = h1.mmul(p.get("dense_1/W")).addiRowVector(p.get("dense_1/b"));
            INDArray h2 = Transforms.relu(z2, true);
            INDArray z3 = h2.mmul(p.get("dense_2/W")).addiRowVector(p.get("dense_2/b"));
            INDArray probs = Transforms.softmax(z3, true);
            INDArray d3 = probs.sub(oneHot);
            INDArray gW3 = h2.transpose().mmul(d3);
            INDArray gb3 = d3.sum(0);
            INDArray d2 = d3.mmul(p.get("dense_2/W").transpose()).muli(z2.gt(0).castTo(dt));
            INDArray gW2 = h1.transpose().mmul(d2);
            INDArray gb2 = d2.sum(0);
            INDArray d1 = d2.mmul(p.get("dense_1/W").transpose()).muli(z1.gt(0).castTo(dt));
            INDArray gW1 = x.transpose().mmul(d1);
            INDArray gb1 = d1.sum(0);
            return List.of(gW1, gb1, gW2, gb2, gW3, gb3);
        });
        System.out.printf("hand-written ND4J forward+backward of mlp(784-256-128-10, relu) %s, 256 rows: %.1f ms%n", dt, t);
    }

    /** A tiny model, where compute is negligible: the fixed cost of one SameDiff call. */
    static void tiny() {
        Model model = Model.build(new MlpSpec(4, new int[]{5}, Activation.TANH, 3, Task.CLASSIFICATION));
        Map<String, INDArray> p = model.initialParameters(1);
        INDArray x = TestData.normal(1, 8, 4, DataType.FLOAT);
        INDArray y = TestData.classes(2, 8, 3, DataType.FLOAT);
        model.lossAndGradient(p, x, y);
        System.out.printf("mlp(4-5-3), 8 rows (fixed per-call cost): lossAndGradient %.2f ms, evaluate %.2f ms, predict %.2f ms%n",
                median(() -> model.lossAndGradient(p, x, y)), median(() -> model.evaluate(p, x, y)),
                median(() -> model.predict(p, x)));
    }

    static double median(Supplier<?> call) {
        for (int i = 0; i < 5; i++) {
            call.get();
        }
        double[] times = new double[REPEATS];
        for (int i = 0; i < REPEATS; i++) {
            long t = System.nanoTime();
            call.get();
            times[i] = ms(System.nanoTime() - t);
        }
        return median(times);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }
}
