package io.lather.models;

import org.nd4j.autodiff.samediff.SameDiff;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link CustomModelFactory} returns: the graph and which of its variables play which role. The contract
 * the graph must satisfy is documented on {@link CustomModelFactory}; {@link Model#build} checks it and reports a
 * violation as a {@link ModelException}.
 *
 * @param sameDiff           the graph; owned by the {@link Model} afterwards (it sets the loss variable and binds
 *                           parameter arrays into it)
 * @param parameterNames     every trainable variable of the graph, in the model's parameter order; no duplicates
 * @param lossVariable       name of the scalar variable holding the sum over rows of the per-example loss
 * @param predictionVariable name of the {@code [rows, outputDim]} prediction variable
 */
public record CustomGraph(SameDiff sameDiff, List<String> parameterNames, String lossVariable,
                          String predictionVariable) {

    /** The name of the features placeholder. */
    public static final String FEATURES = "features";

    /** The name of the labels placeholder. */
    public static final String LABELS = "labels";

    /**
     * Checks for nulls and copies the name list.
     *
     * @param sameDiff           the graph; owned by the {@link Model} afterwards (it sets the loss variable and binds
     *                           parameter arrays into it)
     * @param parameterNames     every trainable variable of the graph, in the model's parameter order; no duplicates
     * @param lossVariable       name of the scalar variable holding the sum over rows of the per-example loss
     * @param predictionVariable name of the {@code [rows, outputDim]} prediction variable
     */
    public CustomGraph {
        Objects.requireNonNull(sameDiff, "sameDiff");
        parameterNames = List.copyOf(parameterNames);
        Objects.requireNonNull(lossVariable, "lossVariable");
        Objects.requireNonNull(predictionVariable, "predictionVariable");
    }
}
