package io.lather.models;

import io.lather.models.internal.SpecChecks;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code mlp}: a multilayer perceptron. Each hidden layer computes act(x·W + b); the output layer is linear,
 * followed by softmax cross-entropy ({@code classification}) or squared error ({@code regression}).
 *
 * <p>Parameters, in this order: {@code dense_0/W [inputDim, h0]}, {@code dense_0/b [h0]}, …,
 * {@code dense_n/W [h_{n-1}, outputDim]}, {@code dense_n/b [outputDim]} where n = number of hidden layers. With no
 * hidden layers and {@code classification} this is multinomial logistic regression.
 *
 * <p>Config keys: {@code input_dim} (required), {@code hidden_sizes} (comma-separated, default empty),
 * {@code activation} (default {@code relu}), {@code output_dim} (required), {@code task} (default
 * {@code classification}).
 *
 * @param inputDim    features per example, in [1, 2²⁴]
 * @param hiddenSizes widths of the hidden layers, input side first; 0 to 64 entries, each in [1, 2²⁴]; copied
 * @param activation  activation after each hidden layer
 * @param outputDim   number of classes K (classification, in [2, 2²⁴]) or of regression targets (in [1, 2²⁴])
 * @param task        {@link Task#CLASSIFICATION} or {@link Task#REGRESSION}
 */
public record MlpSpec(int inputDim, int[] hiddenSizes, Activation activation, int outputDim, Task task)
        implements ModelSpec {

    /** The type name in config files. */
    public static final String TYPE = "mlp";

    /**
     * Validates every component.
     *
     * @param inputDim    features per example, in [1, 2²⁴]
     * @param hiddenSizes widths of the hidden layers, input side first; 0 to 64 entries, each in [1, 2²⁴]; copied
     * @param activation  activation after each hidden layer
     * @param outputDim   number of classes K (classification, in [2, 2²⁴]) or of regression targets (in [1, 2²⁴])
     * @param task        {@link Task#CLASSIFICATION} or {@link Task#REGRESSION}
     * @throws ModelException naming the field, the value and the valid range
     */
    public MlpSpec {
        Objects.requireNonNull(hiddenSizes, "hiddenSizes");
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(task, "task");
        hiddenSizes = hiddenSizes.clone();
        SpecChecks.dim(TYPE, "input_dim", inputDim, 1);
        SpecChecks.hiddenSizes(TYPE, "hidden_sizes", hiddenSizes);
        if (task != Task.CLASSIFICATION && task != Task.REGRESSION) {
            throw io.lather.models.internal.ModelErrors.notOneOf(TYPE, "task", task.configName(),
                    java.util.List.of(Task.CLASSIFICATION.configName(), Task.REGRESSION.configName()));
        }
        SpecChecks.dim(TYPE, "output_dim", outputDim, task == Task.CLASSIFICATION ? 2 : 1);
        SpecChecks.denseChain(TYPE, inputDim, hiddenSizes, outputDim, "reduce hidden_sizes");
    }

    /**
     * A classifier: {@code mlp} with {@link Task#CLASSIFICATION}.
     *
     * @param inputDim    features per example
     * @param hiddenSizes hidden layer widths
     * @param activation  hidden activation
     * @param classes     number of classes K ≥ 2
     * @return the spec
     */
    public static MlpSpec classifier(int inputDim, int[] hiddenSizes, Activation activation, int classes) {
        return new MlpSpec(inputDim, hiddenSizes, activation, classes, Task.CLASSIFICATION);
    }

    /**
     * The hidden layer widths (a copy).
     *
     * @return the widths, input side first
     */
    @Override
    public int[] hiddenSizes() {
        return hiddenSizes.clone();
    }

    @Override
    public String typeName() {
        return TYPE;
    }

    /** For example {@code mlp(784-256-128-10, relu, classification)}. */
    @Override
    public String describe() {
        String widths = IntStream.concat(IntStream.concat(IntStream.of(inputDim), Arrays.stream(hiddenSizes)),
                IntStream.of(outputDim)).mapToObj(Integer::toString).collect(Collectors.joining("-"));
        return TYPE + "(" + widths + ", " + activation.configName() + ", " + task.configName() + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MlpSpec s && inputDim == s.inputDim && Arrays.equals(hiddenSizes, s.hiddenSizes)
                && activation == s.activation && outputDim == s.outputDim && task == s.task;
    }

    @Override
    public int hashCode() {
        return Objects.hash(inputDim, Arrays.hashCode(hiddenSizes), activation, outputDim, task);
    }

    @Override
    public String toString() {
        return "MlpSpec[inputDim=" + inputDim + ", hiddenSizes=" + Arrays.toString(hiddenSizes) + ", activation="
                + activation + ", outputDim=" + outputDim + ", task=" + task + "]";
    }
}
