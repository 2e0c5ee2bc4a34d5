package io.lather.models;

import io.lather.models.internal.ModelErrors;

/**
 * What a model predicts, which fixes its loss, its label format and what {@link Model#predict} returns.
 *
 * <table>
 *   <caption>Tasks</caption>
 *   <tr><th>task</th><th>labels (one row per example)</th><th>per-example loss</th><th>predict</th></tr>
 *   <tr><td>{@code classification}</td><td>one value: the class index 0..K−1 as a float</td>
 *       <td>cross-entropy −log softmax(z)[y]</td><td>class probabilities (rows × K)</td></tr>
 *   <tr><td>{@code regression}</td><td>{@code outputDim} target values</td>
 *       <td>squared error Σ_j (ŷ_j − y_j)² (summed over outputs, no ½)</td><td>outputs (rows × outputDim)</td></tr>
 *   <tr><td>{@code reconstruction}</td><td>none: the target is the input itself</td>
 *       <td>squared error Σ_j (x̂_j − x_j)²</td><td>reconstruction (rows × inputDim)</td></tr>
 * </table>
 */
public enum Task {
    /** {@code classification}: softmax cross-entropy over K classes. */
    CLASSIFICATION("classification"),
    /** {@code regression}: squared error against real-valued targets. */
    REGRESSION("regression"),
    /** {@code reconstruction}: squared error against the input (autoencoders). */
    RECONSTRUCTION("reconstruction");

    private final String configName;

    Task(String configName) {
        this.configName = configName;
    }

    /**
     * The stable name used in config files.
     *
     * @return {@code classification}, {@code regression} or {@code reconstruction}
     */
    public String configName() {
        return configName;
    }

    /**
     * Parses a config name (case-sensitive, as written by {@link #configName()}).
     *
     * @param type    the model type whose config is being read, for the error message
     * @param field   the config key, for the error message
     * @param value   the config value
     * @param allowed the tasks this model type supports
     * @return the task
     * @throws ModelException if {@code value} is not the config name of one of {@code allowed}
     */
    public static Task fromConfigName(String type, String field, String value, Task... allowed) {
        for (Task t : allowed) {
            if (t.configName.equals(value)) {
                return t;
            }
        }
        throw ModelErrors.notOneOf(type, field, value, java.util.Arrays.stream(allowed).map(Task::configName).toList());
    }
}
