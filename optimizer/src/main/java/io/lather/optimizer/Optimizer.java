package io.lather.optimizer;

import io.lather.optimizer.state.OptimizerState;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A stateful optimizer over a fixed, ordered set of named parameters, which it updates in place.
 *
 * <p>Contract shared by every implementation (and checked by one test battery): {@link #step} either applies
 * a complete step or — when it rejects its input (unknown parameter, wrong shape, non-finite gradient) —
 * changes nothing; {@link #exportState()} followed by {@link #importState} on a fresh optimizer built from
 * the same config and parameters continues bit-identically; state import is strict.
 */
public interface Optimizer {

    /** Stable type name of the optimizer's config ({@code shampoo}, {@code nvidia_soap}). */
    String typeName();

    /** The parameters being optimized (live arrays, updated in place by {@link #step}), in order. */
    Map<String, INDArray> parameters();

    /**
     * One optimization step.
     *
     * @param gradients gradient per parameter name, same shape and data type as the parameter; a missing
     *     entry or {@code null} means "no gradient this step" (the parameter and its state are left unchanged)
     * @throws OptimizerInputException for unknown names, shape/type mismatches or non-finite gradients
     *     (nothing is changed)
     * @throws NumericalFailureException when the numerical failure policy gives up
     */
    void step(Map<String, INDArray> gradients);

    /** Number of steps taken so far. */
    long stepCount();

    /** The current learning rate. */
    double learningRate();

    /** Sets the learning rate for the following steps (schedules); must be finite and ≥ 0. */
    void setLearningRate(double lr);

    /** A copy of the complete optimizer state, as heap tensors. */
    OptimizerState exportState();

    /**
     * Replaces the state with an exported one. Strict: the optimizer type, format version, the set of
     * tensor names, and every tensor's type and shape must match what this optimizer holds.
     *
     * @throws io.lather.optimizer.state.StateException naming the first mismatch (nothing is changed)
     */
    void importState(OptimizerState state);

    /** Counters of amortized work (eigendecompositions done and skipped, failures). */
    OptimizerStatistics statistics();

    /**
     * Switches parameters to the evaluation sequence (GPA / Schedule-Free: x); a no-op for other optimizers.
     * Stepping in evaluation mode is an error.
     */
    default void eval() {}

    /** Switches parameters back to the training sequence (GPA / Schedule-Free: y); a no-op otherwise. */
    default void train() {}
}
