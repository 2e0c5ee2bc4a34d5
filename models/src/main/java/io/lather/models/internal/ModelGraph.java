package io.lather.models.internal;

import io.lather.models.ParameterInit;
import io.lather.models.ParameterSpec;
import org.nd4j.autodiff.samediff.SameDiff;

import java.util.List;

/**
 * A built graph and the roles of its variables, as {@link io.lather.models.Model} uses them.
 *
 * @param sameDiff           the graph, with {@code features} (and, if {@code feedsLabels}, {@code labels})
 *                           placeholders and the loss variable set as SameDiff's loss
 * @param parameters         trainable variables in model order
 * @param initializations    one rule per parameter, same order
 * @param lossVariable       the scalar: sum over rows of the per-example loss
 * @param predictionVariable the {@code [rows, outputDim]} prediction (probabilities, outputs or reconstruction)
 * @param feedsLabels        whether the graph has a {@code labels} placeholder to feed
 */
public record ModelGraph(SameDiff sameDiff, List<ParameterSpec> parameters, List<ParameterInit> initializations,
                         String lossVariable, String predictionVariable, boolean feedsLabels) {

    /** Name of the features placeholder in every graph. */
    public static final String FEATURES = "features";
    /** Name of the labels placeholder (one-hot for classification, targets for regression). */
    public static final String LABELS = "labels";
    /** Name of the loss variable of built-in graphs. */
    public static final String LOSS = "loss";

    /**
     * Copies the lists.
     *
     * @param sameDiff           the graph, with {@code features} (and, if {@code feedsLabels}, {@code labels})
     *                           placeholders and the loss variable set as SameDiff's loss
     * @param parameters         trainable variables in model order
     * @param initializations    one rule per parameter, same order
     * @param lossVariable       the scalar: sum over rows of the per-example loss
     * @param predictionVariable the {@code [rows, outputDim]} prediction (probabilities, outputs or reconstruction)
     * @param feedsLabels        whether the graph has a {@code labels} placeholder to feed
     */
    public ModelGraph {
        parameters = List.copyOf(parameters);
        initializations = List.copyOf(initializations);
    }
}
