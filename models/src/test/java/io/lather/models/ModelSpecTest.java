package io.lather.models;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Spec validation (error text), config round trips and defaults, Java serialization, descriptions. */
class ModelSpecTest {
    static final List<ModelSpec> EXAMPLES = List.of(
            new MlpSpec(784, new int[]{256, 128}, Activation.RELU, 10, Task.CLASSIFICATION),
            new MlpSpec(13, new int[0], Activation.GELU, 1, Task.REGRESSION),
            CnnSpec.withDefaults(1, 28, 28, 10),
            new CnnSpec(3, 32, 30, 4, 6, 3, 3, 0, 7, Activation.SIGMOID),
            new LogisticRegressionSpec(784, 10),
            new AutoencoderSpec(784, new int[]{128}, 32, Activation.TANH),
            new CustomSpec("com.example.Outer$MyFactory", 20, 4, Task.REGRESSION));

    @Test
    void configRoundTripAndJavaSerializationPreserveEverySpec() throws Exception {
        for (ModelSpec spec : EXAMPLES) {
            assertEquals(spec, ModelSpec.fromConfig(spec.toConfig()), spec.describe());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(spec);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                Object back = in.readObject();
                assertEquals(spec, back, spec.describe());
                assertEquals(spec.hashCode(), back.hashCode());
            }
        }
    }

    @Test
    void toConfigWritesStableKeys() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("type", "mlp");
        expected.put("input_dim", "784");
        expected.put("hidden_sizes", "256,128");
        expected.put("activation", "relu");
        expected.put("output_dim", "10");
        expected.put("task", "classification");
        assertEquals(List.copyOf(expected.entrySet()), List.copyOf(EXAMPLES.get(0).toConfig().entrySet()));
        assertEquals(List.of("mlp", "cnn", "logistic_regression", "autoencoder", "custom"), ModelSpec.typeNames());
    }

    @Test
    void configDefaults() {
        assertEquals(new MlpSpec(784, new int[0], Activation.RELU, 10, Task.CLASSIFICATION),
                ModelSpec.fromConfig(Map.of("type", "mlp", "input_dim", "784", "output_dim", "10")));
        assertEquals(CnnSpec.withDefaults(1, 28, 28, 10),
                ModelSpec.fromConfig(Map.of("type", "cnn", "height", "28", "width", "28", "classes", "10")));
        assertEquals(new AutoencoderSpec(784, new int[0], 16, Activation.RELU),
                ModelSpec.fromConfig(Map.of("type", "autoencoder", "input_dim", "784", "bottleneck", "16")));
        assertEquals(new CustomSpec("a.B", 3, 2, Task.CLASSIFICATION),
                ModelSpec.fromConfig(Map.of("type", "custom", "factory_class", "a.B", "input_dim", "3", "output_dim", "2")));
        assertEquals(new MlpSpec(4, new int[]{8, 6}, Activation.TANH, 2, Task.REGRESSION),
                ModelSpec.fromConfig(Map.of("type", " mlp ", "input_dim", " 4", "hidden_sizes", "8, 6",
                        "activation", "tanh", "output_dim", "2", "task", "regression")));
    }

    @Test
    void describe() {
        assertEquals(List.of("mlp(784-256-128-10, relu, classification)", "mlp(13-1, gelu, regression)",
                        "cnn(1x28x28, conv 5x5 8-16, pool 2, dense 64, 10 classes, relu)",
                        "cnn(3x32x30, conv 3x3 4-6, pool 3, dense 0, 7 classes, sigmoid)",
                        "logistic_regression(784 -> 10 classes)", "autoencoder(784-128-32-128-784, tanh)",
                        "custom(com.example.Outer$MyFactory, 20 -> 4, regression)"),
                EXAMPLES.stream().map(ModelSpec::describe).toList());
    }

    @Test
    void arraysAreCopiedInAndOut() {
        int[] hidden = {5, 4};
        MlpSpec spec = new MlpSpec(3, hidden, Activation.TANH, 2, Task.CLASSIFICATION);
        hidden[0] = 99;
        spec.hiddenSizes()[1] = 99;
        assertArrayEquals(new int[]{5, 4}, spec.hiddenSizes());
        assertEquals(new MlpSpec(3, new int[]{5, 4}, Activation.TANH, 2, Task.CLASSIFICATION), spec);
    }

    @Test
    void constructorErrorsNameFieldValueAndRange() {
        assertError("mlp: input_dim = 0; must be in [1, 16777216]",
                () -> new MlpSpec(0, new int[0], Activation.RELU, 10, Task.CLASSIFICATION));
        assertError("mlp: hidden_sizes[1] = 0; must be in [1, 16777216]",
                () -> new MlpSpec(4, new int[]{4, 0}, Activation.RELU, 10, Task.CLASSIFICATION));
        assertError("mlp: number of hidden_sizes = 65; must be in [0, 64]",
                () -> new MlpSpec(4, new int[65], Activation.RELU, 10, Task.CLASSIFICATION));
        assertError("mlp: output_dim = 1; must be in [2, 16777216]",
                () -> new MlpSpec(4, new int[0], Activation.RELU, 1, Task.CLASSIFICATION));
        assertError("mlp: output_dim = 0; must be in [1, 16777216]",
                () -> new MlpSpec(4, new int[0], Activation.RELU, 0, Task.REGRESSION));
        assertError("mlp: task = 'reconstruction'; must be one of classification, regression",
                () -> new MlpSpec(4, new int[0], Activation.RELU, 4, Task.RECONSTRUCTION));
        assertError("mlp: the weight between layers of width 100000 and 100000 would have 10000000000 elements; "
                        + "must be <= 2147483639 so that it fits in a Java array (reduce hidden_sizes)",
                () -> new MlpSpec(100000, new int[]{100000}, Activation.RELU, 10, Task.CLASSIFICATION));
        assertError("logistic_regression: classes = 1; must be in [2, 16777216]", () -> new LogisticRegressionSpec(4, 1));
        assertError("cnn: kernel_size = 4; must be an odd integer in [1, 15] (odd, so that 'same' padding is symmetric)",
                () -> new CnnSpec(1, 28, 28, 8, 16, 4, 2, 64, 10, Activation.RELU));
        assertError("cnn: height = 3; must be >= 4 (pool_size² = 2², so that both max-pools leave at least one pixel)",
                () -> new CnnSpec(1, 3, 28, 8, 16, 5, 2, 64, 10, Activation.RELU));
        assertError("cnn: pool_size = 9; must be in [1, 8]",
                () -> new CnnSpec(1, 28, 28, 8, 16, 5, 9, 64, 10, Activation.RELU));
        assertError("cnn: dense_units = -1; must be in [0, 16777216]",
                () -> new CnnSpec(1, 28, 28, 8, 16, 5, 2, -1, 10, Activation.RELU));
        assertError("cnn: channels × height × width = 68719476736; must be in [1, 16777216]",
                () -> new CnnSpec(4096, 4096, 4096, 8, 16, 5, 2, 64, 10, Activation.RELU));
        assertError("autoencoder: bottleneck = 0; must be in [1, 16777216]",
                () -> new AutoencoderSpec(10, new int[0], 0, Activation.RELU));
        assertError("custom: factory_class = 'my factory'; must be a fully qualified Java class name such as "
                + "com.example.MyModelFactory", () -> new CustomSpec("my factory", 4, 2, Task.CLASSIFICATION));
    }

    @Test
    void configErrors() {
        assertError("model: config key 'type' is missing; it is required and must be one of mlp, cnn, "
                + "logistic_regression, autoencoder, custom", () -> ModelSpec.fromConfig(Map.of("input_dim", "4")));
        assertError("model: type = 'resnet'; must be one of mlp, cnn, logistic_regression, autoencoder, custom",
                () -> ModelSpec.fromConfig(Map.of("type", "resnet")));
        assertError("mlp: unknown config key(s) hiden_sizes; valid keys are type, input_dim, hidden_sizes, activation, "
                        + "output_dim, task",
                () -> ModelSpec.fromConfig(Map.of("type", "mlp", "input_dim", "4", "output_dim", "2", "hiden_sizes", "3")));
        assertError("mlp: config key 'input_dim' is missing; it is required (keys of mlp: type, input_dim, hidden_sizes, "
                + "activation, output_dim, task)", () -> ModelSpec.fromConfig(Map.of("type", "mlp", "output_dim", "2")));
        assertError("mlp: input_dim = 'abc'; must be an integer",
                () -> ModelSpec.fromConfig(Map.of("type", "mlp", "input_dim", "abc", "output_dim", "2")));
        assertError("mlp: hidden_sizes = '256;128'; must be a comma-separated list of integers such as '256,128' "
                        + "(empty for none)",
                () -> ModelSpec.fromConfig(Map.of("type", "mlp", "input_dim", "4", "output_dim", "2", "hidden_sizes", "256;128")));
        assertError("mlp: activation = 'swish'; must be one of relu, tanh, gelu, sigmoid",
                () -> ModelSpec.fromConfig(Map.of("type", "mlp", "input_dim", "4", "output_dim", "2", "activation", "swish")));
        assertError("mlp: task = 'reconstruction'; must be one of classification, regression",
                () -> ModelSpec.fromConfig(Map.of("type", "mlp", "input_dim", "4", "output_dim", "2", "task", "reconstruction")));
        assertError("custom: task = 'clustering'; must be one of classification, regression, reconstruction",
                () -> ModelSpec.fromConfig(Map.of("type", "custom", "factory_class", "a.B", "input_dim", "4",
                        "output_dim", "2", "task", "clustering")));
        assertError("cnn: height = 8; must be >= 9 (pool_size² = 3², so that both max-pools leave at least one pixel)",
                () -> ModelSpec.fromConfig(Map.of("type", "cnn", "height", "8", "width", "28", "classes", "10", "pool_size", "3")));
    }

    static void assertError(String message, Executable e) {
        assertEquals(message, assertThrows(ModelException.class, e).getMessage());
    }
}
