package io.lather.models;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Autodiff gradients against central finite differences, in float64, for every built-in model type and a custom
 * graph.
 *
 * <p>Step size: the central difference (L(θ+h) − L(θ−h)) / 2h has truncation error h²/6·|L'''| and rounding error
 * about c·ε·|L|/h, with ε = 2⁻⁵³ ≈ 1.1e-16 and c (the accumulated relative error of evaluating L) a few tens for
 * these graphs. Balancing the two gives h ≈ (3cε|L|/|L'''|)^(1/3) ≈ 1e-5 for |L| ~ 10 and |L'''| ~ 1. At h = 1e-5
 * both terms are ~1e-10 per component, while gradient components are ~0.01–1, so the per-tensor relative error is
 * expected around 1e-9 — three orders of magnitude below the 1e-6 bound, which leaves room for unlucky components
 * without hiding a real bug (a wrong gradient gives errors of order 1e-2 or more).
 *
 * <p>Kinks: relu and max-pool are differentiable except where a pre-activation is exactly 0 or two pooled values
 * tie. A perturbation of h moves pre-activations by at most ~h·max|x| ≈ 1e-4, so the relu check asserts every
 * hidden pre-activation is at least 1e-3 away from 0 before comparing. The CNN checks use smooth activations
 * (tanh, sigmoid) and random inputs, where a max-pool tie within 1e-4 has negligible probability (and the fixed
 * seeds make the outcome reproducible either way).
 */
class GradientCheckTest {
    static final double H = 1e-5;
    static final double TOLERANCE = 1e-6;
    static final int ROWS = 5;

    static Stream<ModelSpec> smoothSpecs() {
        return Stream.of(
                new MlpSpec(4, new int[]{5}, Activation.TANH, 3, Task.CLASSIFICATION),
                new MlpSpec(4, new int[]{5, 4}, Activation.GELU, 3, Task.CLASSIFICATION),
                new MlpSpec(4, new int[]{5}, Activation.SIGMOID, 3, Task.CLASSIFICATION),
                new MlpSpec(4, new int[]{5}, Activation.TANH, 2, Task.REGRESSION),
                new MlpSpec(3, new int[]{4, 3}, Activation.GELU, 1, Task.REGRESSION),
                new MlpSpec(3, new int[]{4}, Activation.SIGMOID, 2, Task.REGRESSION),
                new LogisticRegressionSpec(4, 3),
                new CnnSpec(2, 8, 8, 3, 4, 3, 2, 5, 3, Activation.TANH),
                new CnnSpec(1, 7, 7, 2, 3, 3, 2, 0, 3, Activation.SIGMOID),
                new AutoencoderSpec(5, new int[]{4}, 2, Activation.TANH),
                new AutoencoderSpec(5, new int[0], 3, Activation.SIGMOID),
                new AutoencoderSpec(4, new int[]{3}, 2, Activation.GELU),
                new CustomSpec(CustomFactories.TinyClassifier.class.getName(), 4, 3, Task.CLASSIFICATION),
                new CustomSpec(CustomFactories.LinearRegression.class.getName(), 3, 2, Task.REGRESSION),
                new CustomSpec(CustomFactories.LinearAutoencoder.class.getName(), 4, 4, Task.RECONSTRUCTION));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smoothSpecs")
    void autodiffMatchesCentralDifferences(ModelSpec spec) {
        Model model = Model.build(spec, Precision.FLOAT64);
        Map<String, INDArray> params = TestData.perturbedParameters(model, 11);
        INDArray x = TestData.normal(12, ROWS, spec.inputDim(), DataType.DOUBLE);
        INDArray y = TestData.labels(spec, 13, ROWS, DataType.DOUBLE);
        assertGradientMatches(model, params, x, y);
    }

    /**
     * relu away from its kink: a 4-6-5-3 relu classifier whose hidden pre-activations, recomputed here with plain
     * ND4J ops, are all at least 1e-3 away from 0.
     */
    @Test
    void reluMlpAwayFromKinks() {
        MlpSpec spec = new MlpSpec(4, new int[]{6, 5}, Activation.RELU, 3, Task.CLASSIFICATION);
        Model model = Model.build(spec, Precision.FLOAT64);
        Map<String, INDArray> params = TestData.perturbedParameters(model, 21);
        INDArray x = TestData.normal(22, ROWS, 4, DataType.DOUBLE);
        INDArray y = TestData.labels(spec, 23, ROWS, DataType.DOUBLE);
        INDArray z1 = x.mmul(params.get("dense_0/W")).addRowVector(params.get("dense_0/b"));
        INDArray z2 = Transforms.relu(z1, true).mmul(params.get("dense_1/W")).addRowVector(params.get("dense_1/b"));
        double margin = Math.min(Transforms.abs(z1, true).minNumber().doubleValue(),
                Transforms.abs(z2, true).minNumber().doubleValue());
        assertTrue(margin > 1e-3, "pre-activation within " + margin + " of the relu kink; pick another seed");
        assertGradientMatches(model, params, x, y);
    }

    static void assertGradientMatches(Model model, Map<String, INDArray> params, INDArray x, INDArray y) {
        LossAndGradient lg = model.lossAndGradient(params, x, y);
        assertEquals(model.evaluate(params, x, y).lossSum(), lg.lossSum(), 1e-12 * Math.abs(lg.lossSum()),
                "evaluate and lossAndGradient disagree on the loss");
        double worst = 0;
        String worstName = "";
        for (ParameterSpec p : model.parameters()) {
            INDArray theta = params.get(p.name());
            INDArray fd = Nd4j.zeros(DataType.DOUBLE, p.shape());
            for (long i = 0; i < theta.length(); i++) {
                double v = theta.getDouble(i);
                theta.putScalar(i, v + H);
                double plus = model.evaluate(params, x, y).lossSum();
                theta.putScalar(i, v - H);
                double minus = model.evaluate(params, x, y).lossSum();
                theta.putScalar(i, v);
                fd.putScalar(i, (plus - minus) / (2 * H));
            }
            INDArray ad = lg.gradientSums().get(p.name());
            double rel = TestData.relativeError(ad, fd);
            assertTrue(fd.norm2Number().doubleValue() > 1e-8, p.name() + ": finite-difference gradient is ~0, the check would be vacuous");
            assertTrue(rel <= TOLERANCE, model.spec().describe() + " " + p.name() + ": relative error " + rel
                    + "\nautodiff " + ad + "\nfinite differences " + fd);
            if (rel >= worst) {
                worst = rel;
                worstName = p.name();
            }
        }
        // One line per model so CI logs show how much margin the check has.
        System.out.printf("gradient check %s: worst relative error %.2e (%s)%n", model.spec().describe(), worst, worstName);
    }
}
