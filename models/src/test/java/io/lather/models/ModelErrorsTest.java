package io.lather.models;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every way inputs can fail to fit a built model, and the exact message each gives. */
class ModelErrorsTest {
    static final MlpSpec SPEC = new MlpSpec(4, new int[]{5}, Activation.TANH, 3, Task.CLASSIFICATION);
    static final String M = "Model mlp(4-5-3, tanh, classification): ";
    final Model model = Model.build(SPEC);
    final Map<String, INDArray> params = model.initialParameters(1);
    final INDArray x = TestData.normal(1, 2, 4, DataType.FLOAT);
    final INDArray y = Nd4j.createFromArray(0f, 2f);

    @Test
    void features() {
        assertError(M + "features have 5 columns, expected 4 (input_dim). Cause: the feature vectors of the data are not "
                        + "as wide as the model's input layer. Fix: set input_dim = 5 in the model config if the data is "
                        + "right, or select the 4 feature columns the model was configured for.",
                () -> model.lossAndGradient(params, TestData.normal(1, 2, 5, DataType.FLOAT), y));
        assertError(M + "features have shape [4], expected [rows, 4]. Cause: the model takes a matrix with one example "
                        + "per row. Fix: reshape the features to [rows, 4] (row-major, one flattened example per row).",
                () -> model.predict(params, Nd4j.createFromArray(1f, 2f, 3f, 4f)));
        assertError(M + "the features array has length 7, expected rows × input_dim = 2 × 4 = 8. Cause: the row count or "
                        + "the feature width does not match the packed array. Fix: pass the number of rows actually packed, "
                        + "and pack exactly 4 values per row (row-major).",
                () -> model.predict(params, new float[7], 2));
        Model cnn = Model.build(CnnSpec.withDefaults(1, 28, 28, 10));
        assertError("Model cnn(1x28x28, conv 5x5 8-16, pool 2, dense 64, 10 classes, relu): features have 783 columns, "
                        + "expected 784 (channels × height × width). Cause: the feature vectors of the data are not as wide "
                        + "as the model's input layer. Fix: set channels, height and width in the model config so that "
                        + "channels × height × width = 783 if the data is right, or select the 784 feature columns the "
                        + "model was configured for.",
                () -> cnn.predict(cnn.initialParameters(1), Nd4j.zeros(DataType.FLOAT, 1, 783)));
        assertError(M + "rows = -1, expected >= 0. Cause: a negative row count was passed. Fix: pass the number of "
                + "examples packed in the arrays.", () -> model.evaluate(params, new double[0], new double[0], -1));
    }

    @Test
    void labels() {
        assertError(M + "labels are null. Cause: a classification model needs one label row per example. Fix: pass the "
                        + "label column(s) of the batch (one class index in [0, 2] per row).",
                () -> model.lossAndGradient(params, x, null));
        assertError(M + "labels have shape [3], expected [2] or [2, 1]. Cause: there must be one label row per feature "
                        + "row, one class index in [0, 2] per row. Fix: pass the labels of exactly the rows in the "
                        + "features, in the same order.",
                () -> model.lossAndGradient(params, x, Nd4j.createFromArray(0f, 1f, 2f)));
        assertError(M + "the labels array has length 3, expected rows × 1 = 2. Cause: there must be one label row per "
                        + "feature row, one class index in [0, 2] per row. Fix: pack the labels of exactly the rows in the "
                        + "features array, in the same order.",
                () -> model.evaluate(params, new float[8], new float[3], 2));
        assertError(M + "label in row 1 is 3.0, expected an integer class index in [0, 2]. Cause: the model was "
                        + "configured for 3 classes and labels must be class indices stored as numbers. Fix: map the "
                        + "labels to 0..2 before training, or set the number of classes to cover them.",
                () -> model.lossAndGradient(params, x, Nd4j.createFromArray(0f, 3f)));
        for (float bad : new float[]{-1f, 1.5f, Float.NaN}) {
            ModelException e = assertThrows(ModelException.class,
                    () -> model.evaluate(params, new float[8], new float[]{bad, 0f}, 2));
            assertEquals(M + "label in row 0 is " + (double) bad + ", expected an integer class index in [0, 2].",
                    e.getMessage().substring(0, e.getMessage().indexOf(" Cause:")));
        }
        Model regression = Model.build(new MlpSpec(4, new int[]{5}, Activation.TANH, 2, Task.REGRESSION));
        assertError("Model mlp(4-5-2, tanh, regression): labels have shape [2, 3], expected [2, 2]. Cause: there must be "
                        + "one label row per feature row, 2 target value(s) per row. Fix: pass the labels of exactly the "
                        + "rows in the features, in the same order.",
                () -> regression.lossAndGradient(regression.initialParameters(1), x, Nd4j.zeros(DataType.FLOAT, 2, 3)));
    }

    @Test
    void parameters() {
        Map<String, INDArray> missing = new LinkedHashMap<>(params);
        missing.remove("dense_1/b");
        assertError(M + "parameter(s) dense_1/b missing. Cause: the parameter map must hold exactly the model's "
                        + "parameters dense_0/W, dense_0/b, dense_1/W, dense_1/b. Fix: start from "
                        + "Model.initialParameters(seed) or a checkpoint of the same model spec.",
                () -> model.lossAndGradient(missing, x, y));
        Map<String, INDArray> extra = new LinkedHashMap<>(params);
        extra.put("dense_2/W", Nd4j.zeros(3, 3));
        assertError(M + "unknown parameter(s) dense_2/W. Cause: the parameter map must hold exactly the model's "
                        + "parameters dense_0/W, dense_0/b, dense_1/W, dense_1/b. Fix: check that the parameters (or "
                        + "checkpoint) belong to this model spec; names are case-sensitive.",
                () -> model.predict(extra, x));
        Map<String, INDArray> transposed = new LinkedHashMap<>(params);
        transposed.put("dense_0/W", Nd4j.zeros(DataType.FLOAT, 5, 4));
        assertError(M + "parameter dense_0/W has shape [5, 4], expected [4, 5]. Cause: the parameters were made for a "
                        + "model with different layer sizes. Fix: use parameters from Model.initialParameters(seed) or a "
                        + "checkpoint of this exact model spec.",
                () -> model.evaluate(transposed, x, y));
        Map<String, INDArray> integers = new LinkedHashMap<>(params);
        integers.put("dense_0/b", Nd4j.zeros(DataType.LONG, 5));
        assertError(M + "parameter dense_0/b has data type LONG, expected a floating-point type. Cause: parameters are "
                + "real-valued. Fix: convert the array to FLOAT or DOUBLE.", () -> model.evaluate(integers, x, y));
        Map<String, float[]> flat = new LinkedHashMap<>();
        params.forEach((k, v) -> flat.put(k, v.data().asFloat()));
        flat.put("dense_0/W", new float[19]);
        assertError(M + "parameter dense_0/W has 19 values, expected 20 for shape [4, 5]. Cause: the parameters were "
                        + "made for a model with different layer sizes. Fix: send the row-major values of the parameters "
                        + "of this exact model spec.",
                () -> model.parametersFromFloats(flat));
    }

    @Test
    void concurrentUseIsRefusedAndErrorsDoNotLeaveTheModelLocked() {
        model.acquire();
        try {
            assertError(M + "called from a second thread while another call is running. Cause: a Model wraps a SameDiff "
                    + "graph, which is not thread-safe. Fix: build one Model per thread (one per Spark task); building "
                    + "is cheap.", () -> model.predict(params, x));
        } finally {
            model.release();
        }
        assertThrows(ModelException.class, () -> model.predict(params, new float[7], 2));
        assertEquals(2, model.lossAndGradient(params, x, y).rows());
    }

    static void assertError(String message, Executable e) {
        assertEquals(message, assertThrows(ModelException.class, e).getMessage());
    }
}
