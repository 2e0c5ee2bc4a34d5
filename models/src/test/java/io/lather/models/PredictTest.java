package io.lather.models;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Predictions, accuracy counting, precision handling, and that a model carries no state between calls. */
class PredictTest {

    @Test
    void classifiersReturnProbabilitiesThatSumToOne() {
        List<ModelSpec> specs = List.of(new MlpSpec(6, new int[]{5}, Activation.GELU, 4, Task.CLASSIFICATION),
                new LogisticRegressionSpec(6, 3), new CnnSpec(1, 4, 4, 2, 2, 3, 2, 0, 5, Activation.RELU),
                new CustomSpec(CustomFactories.TinyClassifier.class.getName(), 16, 3, Task.CLASSIFICATION));
        for (ModelSpec spec : specs) {
            Model model = Model.build(spec);
            INDArray x = TestData.normal(1, 7, spec.inputDim(), DataType.FLOAT);
            INDArray p = model.predict(model.initialParameters(3), x);
            assertEquals(DataType.FLOAT, p.dataType(), spec.describe());
            assertArrayEquals(new long[]{7, spec.outputDim()}, p.shape(), spec.describe());
            assertTrue(p.minNumber().doubleValue() >= 0, spec.describe());
            INDArray rowSums = p.sum(1);
            for (int r = 0; r < 7; r++) {
                assertEquals(1.0, rowSums.getDouble(r), 1e-6, spec.describe() + " row " + r);
            }
        }
    }

    @Test
    void regressionAndReconstructionShapes() {
        Model reg = Model.build(new MlpSpec(6, new int[]{5}, Activation.TANH, 2, Task.REGRESSION));
        assertArrayEquals(new long[]{3, 2}, reg.predict(reg.initialParameters(1), TestData.normal(1, 3, 6, DataType.FLOAT)).shape());
        Model ae = Model.build(new AutoencoderSpec(6, new int[]{4}, 2, Activation.TANH));
        assertArrayEquals(new long[]{3, 6}, ae.predict(ae.initialParameters(1), TestData.normal(1, 3, 6, DataType.FLOAT)).shape());
        assertEquals(3 * 6, ae.predict(ae.initialParameters(1), new float[3 * 6], 3).length);
    }

    @Test
    void primitiveOverloadMatchesNd4jPath() {
        Model model = Model.build(new MlpSpec(6, new int[]{5}, Activation.RELU, 4, Task.CLASSIFICATION));
        Map<String, INDArray> params = model.initialParameters(5);
        INDArray x = TestData.normal(2, 3, 6, DataType.FLOAT);
        float[] viaArrays = model.predict(params, x.data().asFloat(), 3);
        assertArrayEquals(model.predict(params, x).data().asFloat(), viaArrays);
        // double[] features into a float32 model are rounded to float on the way in.
        assertArrayEquals(viaArrays, toFloats(model.predict(params, x.castTo(DataType.DOUBLE).data().asDouble(), 3)));
    }

    @Test
    void correctCountIsTheNumberOfArgmaxHits() {
        // W = 10·I, b = 0: the predicted class is the index of the largest feature.
        Model model = Model.build(new LogisticRegressionSpec(3, 3), Precision.FLOAT64);
        Map<String, INDArray> params = Map.of("dense_0/W", Nd4j.eye(3).castTo(DataType.DOUBLE).muli(10),
                "dense_0/b", Nd4j.zeros(DataType.DOUBLE, 3));
        double[] x = {
                5, 0, 0,   // predicts 0
                0, 5, 0,   // predicts 1
                0, 0, 5,   // predicts 2
                1, 2, 0,   // predicts 1
                0, 1, 3};  // predicts 2
        double[] y = {0, 1, 0, 2, 2}; // hits: rows 0, 1, 4
        EvaluationSums e = model.evaluate(params, x, y, 5);
        assertEquals(3, e.correctCount());
        assertEquals(5, e.rows());
        assertEquals(0.6, e.accuracy(), 1e-15);
        assertEquals(3, model.lossAndGradient(params, x, y, 5).correctCount());
    }

    @Test
    void tiesGoToTheLowestClass() {
        Model model = Model.build(new MlpSpec(4, new int[]{3}, Activation.TANH, 3, Task.CLASSIFICATION));
        Map<String, INDArray> zeros = new LinkedHashMap<>();
        model.parameters().forEach(p -> zeros.put(p.name(), Nd4j.zeros(DataType.FLOAT, p.shape())));
        float[] labels = {0, 1, 2, 0, 0, 2};
        EvaluationSums e = model.evaluate(zeros, new float[6 * 4], labels, 6);
        assertEquals(3, e.correctCount());
        // Uniform probabilities 1/3: loss per row is ln 3.
        assertEquals(6 * Math.log(3), e.lossSum(), 1e-5);
    }

    @Test
    void parametersAreBoundAfreshOnEveryCall() {
        ModelSpec spec = new MlpSpec(4, new int[]{5}, Activation.TANH, 3, Task.CLASSIFICATION);
        Model reused = Model.build(spec);
        INDArray x = TestData.normal(1, 6, 4, DataType.FLOAT);
        INDArray y = TestData.classes(2, 6, 3, DataType.FLOAT);
        Map<String, INDArray> first = reused.initialParameters(1);
        Map<String, INDArray> second = reused.initialParameters(2);
        LossAndGradient atFirst = reused.lossAndGradient(first, x, y);
        LossAndGradient atSecond = reused.lossAndGradient(second, x, y);
        LossAndGradient fresh = Model.build(spec).lossAndGradient(second, x, y);
        assertEquals(fresh.lossSum(), atSecond.lossSum());
        TestData.assertSameBits(fresh.gradientSums(), atSecond.gradientSums());
        assertNotEquals(atFirst.lossSum(), atSecond.lossSum());
    }

    @Test
    void resultsAreNotOverwrittenByLaterCallsAndRepeatBitwise() {
        Model model = Model.build(new CnnSpec(1, 8, 8, 2, 3, 3, 2, 4, 3, Activation.RELU));
        Map<String, INDArray> params = model.initialParameters(7);
        INDArray x1 = TestData.normal(1, 4, 64, DataType.FLOAT);
        INDArray x2 = TestData.normal(2, 4, 64, DataType.FLOAT);
        INDArray y = TestData.classes(3, 4, 3, DataType.FLOAT);

        INDArray p1 = model.predict(params, x1);
        INDArray p1Copy = p1.dup();
        LossAndGradient g1 = model.lossAndGradient(params, x1, y);
        Map<String, INDArray> g1Copy = new LinkedHashMap<>();
        g1.gradientSums().forEach((k, v) -> g1Copy.put(k, v.dup()));

        model.predict(params, x2);
        model.lossAndGradient(params, x2, y);
        TestData.assertSameBits(Map.of("p", p1Copy), Map.of("p", p1));
        TestData.assertSameBits(g1Copy, g1.gradientSums());

        LossAndGradient again = model.lossAndGradient(params, x1, y);
        assertEquals(Double.doubleToLongBits(g1.lossSum()), Double.doubleToLongBits(again.lossSum()));
        g1Copy.forEach((k, v) -> assertArrayEquals(v.data().asFloat(), again.gradientSums().get(k).data().asFloat(), k));
    }

    @Test
    void inputsOfAnotherPrecisionAreConverted() {
        ModelSpec spec = new MlpSpec(4, new int[]{5}, Activation.SIGMOID, 2, Task.REGRESSION);
        Model f32 = Model.build(spec);
        Map<String, INDArray> p32 = f32.initialParameters(1);
        Map<String, INDArray> p64 = new LinkedHashMap<>();
        p32.forEach((k, v) -> p64.put(k, v.castTo(DataType.DOUBLE)));
        INDArray x = TestData.normal(1, 3, 4, DataType.FLOAT);
        INDArray y = TestData.normal(2, 3, 2, DataType.FLOAT);
        LossAndGradient a = f32.lossAndGradient(p32, x, y);
        LossAndGradient b = f32.lossAndGradient(p64, x.castTo(DataType.DOUBLE), y.castTo(DataType.DOUBLE));
        assertEquals(a.lossSum(), b.lossSum());
        TestData.assertSameBits(a.gradientSums(), b.gradientSums());
        assertEquals(DataType.FLOAT, b.gradientSums().get("dense_0/W").dataType());

        Map<String, float[]> floats = new LinkedHashMap<>();
        p32.forEach((k, v) -> floats.put(k, v.data().asFloat()));
        TestData.assertSameBits(p32, f32.parametersFromFloats(floats));
        Map<String, double[]> doubles = new LinkedHashMap<>();
        p64.forEach((k, v) -> doubles.put(k, v.data().asDouble()));
        TestData.assertSameBits(p64, Model.build(spec, Precision.FLOAT64).parametersFromDoubles(doubles));
    }

    static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
