package io.lather.models;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sums, not means: the loss and gradient of a batch equal the sums over any split of its rows, so partitioned
 * computation reproduces the full batch. Checked in float64 with an uneven split (5 + 3 rows) so that a mean
 * (which would weight the halves 1/5 and 1/3) cannot pass.
 */
class SumSemanticsTest {
    static final int ROWS = 8;
    static final int SPLIT = 5;
    /** Float64 sums of 8 terms reassociated: ~10 ε relative, so 1e-12 is tight yet safe. */
    static final double TOLERANCE = 1e-12;

    static Stream<ModelSpec> specs() {
        return Stream.of(
                new MlpSpec(4, new int[]{5}, Activation.RELU, 3, Task.CLASSIFICATION),
                new MlpSpec(4, new int[]{5}, Activation.TANH, 2, Task.REGRESSION),
                new LogisticRegressionSpec(4, 3),
                new CnnSpec(1, 6, 6, 2, 3, 3, 2, 4, 3, Activation.RELU),
                new AutoencoderSpec(5, new int[]{4}, 2, Activation.GELU),
                new CustomSpec(CustomFactories.TinyClassifier.class.getName(), 4, 3, Task.CLASSIFICATION));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void batchEqualsSumOfItsParts(ModelSpec spec) {
        Model model = Model.build(spec, Precision.FLOAT64);
        Map<String, INDArray> params = TestData.perturbedParameters(model, 31);
        INDArray x = TestData.normal(32, ROWS, spec.inputDim(), DataType.DOUBLE);
        INDArray y = TestData.labels(spec, 33, ROWS, DataType.DOUBLE);

        LossAndGradient all = model.lossAndGradient(params, x, y);
        LossAndGradient a = model.lossAndGradient(params, TestData.rows(x, 0, SPLIT), TestData.rows(y, 0, SPLIT));
        LossAndGradient b = model.lossAndGradient(params, TestData.rows(x, SPLIT, ROWS), TestData.rows(y, SPLIT, ROWS));

        assertEquals(ROWS, all.rows());
        assertEquals(all.rows(), a.rows() + b.rows());
        assertEquals(all.correctCount(), a.correctCount() + b.correctCount());
        assertEquals(all.lossSum(), a.lossSum() + b.lossSum(), TOLERANCE * Math.abs(all.lossSum()));
        for (ParameterSpec p : model.parameters()) {
            INDArray parts = a.gradientSums().get(p.name()).add(b.gradientSums().get(p.name()));
            double rel = TestData.relativeError(all.gradientSums().get(p.name()), parts);
            assertTrue(rel <= TOLERANCE, p.name() + ": relative difference " + rel);
        }

        EvaluationSums whole = model.evaluate(params, x, y);
        EvaluationSums merged = model.evaluate(params, TestData.rows(x, 0, SPLIT), TestData.rows(y, 0, SPLIT))
                .plus(model.evaluate(params, TestData.rows(x, SPLIT, ROWS), TestData.rows(y, SPLIT, ROWS)));
        assertEquals(whole.rows(), merged.rows());
        assertEquals(whole.correctCount(), merged.correctCount());
        assertEquals(whole.lossSum(), merged.lossSum(), TOLERANCE * Math.abs(whole.lossSum()));
        assertEquals(all.correctCount(), whole.correctCount());
    }

    @Test
    void emptyBatchIsTheIdentity() {
        ModelSpec spec = new MlpSpec(4, new int[]{5}, Activation.TANH, 3, Task.CLASSIFICATION);
        Model model = Model.build(spec, Precision.FLOAT64);
        Map<String, INDArray> params = model.initialParameters(1);
        LossAndGradient empty = model.lossAndGradient(params, new double[0], new double[0], 0);
        assertEquals(0.0, empty.lossSum());
        assertEquals(0, empty.rows());
        for (ParameterSpec p : model.parameters()) {
            INDArray g = empty.gradientSums().get(p.name());
            assertEquals(java.util.Arrays.toString(p.shape()), java.util.Arrays.toString(g.shape()));
            assertEquals(0.0, g.norm2Number().doubleValue());
        }
        assertEquals(EvaluationSums.EMPTY, model.evaluate(params, new double[0], new double[0], 0));
        EvaluationSums some = new EvaluationSums(2.5, 3, 4);
        assertEquals(some, some.plus(EvaluationSums.EMPTY));
        assertEquals(some, EvaluationSums.EMPTY.plus(some));
        assertEquals(0, model.predict(params, new double[0], 0).length);
        assertEquals("[0, 3]", java.util.Arrays.toString(model.predict(params,
                org.nd4j.linalg.factory.Nd4j.create(DataType.DOUBLE, 0, 4)).shape()));
    }

    /** The primitive-array overloads compute the same sums as the ND4J ones. */
    @Test
    void primitiveOverloadsMatch() {
        ModelSpec spec = new MlpSpec(4, new int[]{5}, Activation.TANH, 2, Task.REGRESSION);
        Model model = Model.build(spec, Precision.FLOAT64);
        Map<String, INDArray> params = TestData.perturbedParameters(model, 41);
        INDArray x = TestData.normal(42, 3, 4, DataType.DOUBLE);
        INDArray y = TestData.normal(43, 3, 2, DataType.DOUBLE);
        LossAndGradient viaNd4j = model.lossAndGradient(params, x, y);
        LossAndGradient viaArrays = model.lossAndGradient(params, x.data().asDouble(), y.data().asDouble(), 3);
        assertEquals(viaNd4j.lossSum(), viaArrays.lossSum());
        TestData.assertSameBits(viaNd4j.gradientSums(), viaArrays.gradientSums());
        Map<String, double[]> asDoubles = viaNd4j.gradientSumsAsDoubles();
        assertEquals(model.parameters().stream().map(ParameterSpec::name).toList(), java.util.List.copyOf(asDoubles.keySet()));
        for (ParameterSpec p : model.parameters()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(viaNd4j.gradientSums().get(p.name()).data().asDouble(),
                    asDoubles.get(p.name()));
        }
    }
}
