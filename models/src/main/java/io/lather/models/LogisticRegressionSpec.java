package io.lather.models;

import io.lather.models.internal.SpecChecks;

/**
 * {@code logistic_regression}: multinomial logistic regression, softmax(x·W + b) with cross-entropy loss. The same
 * graph as an {@link MlpSpec} with no hidden layers; kept as its own type because it is the convex reference
 * problem the optimizer tests and benchmarks use.
 *
 * <p>Parameters, in this order: {@code dense_0/W [inputDim, classes]}, {@code dense_0/b [classes]};
 * initialised Glorot-uniform / zeros like every dense layer (so different seeds give different starting points).
 *
 * <p>Config keys: {@code input_dim}, {@code classes} (both required).
 *
 * @param inputDim features per example, in [1, 2²⁴]
 * @param classes  number of classes K, in [2, 2²⁴]
 */
public record LogisticRegressionSpec(int inputDim, int classes) implements ModelSpec {

    /** The type name in config files. */
    public static final String TYPE = "logistic_regression";

    /**
     * Validates every component.
     *
     * @param inputDim features per example, in [1, 2²⁴]
     * @param classes  number of classes K, in [2, 2²⁴]
     * @throws ModelException naming the field, the value and the valid range
     */
    public LogisticRegressionSpec {
        SpecChecks.dim(TYPE, "input_dim", inputDim, 1);
        SpecChecks.dim(TYPE, "classes", classes, 2);
        SpecChecks.denseChain(TYPE, inputDim, new int[0], classes, "reduce input_dim or classes");
    }

    @Override
    public String typeName() {
        return TYPE;
    }

    /**
     * The number of classes K.
     *
     * @return {@link #classes()}
     */
    @Override
    public int outputDim() {
        return classes;
    }

    /**
     * Always {@link Task#CLASSIFICATION}.
     *
     * @return {@link Task#CLASSIFICATION}
     */
    @Override
    public Task task() {
        return Task.CLASSIFICATION;
    }

    /** For example {@code logistic_regression(784 -> 10 classes)}. */
    @Override
    public String describe() {
        return TYPE + "(" + inputDim + " -> " + classes + " classes)";
    }
}
