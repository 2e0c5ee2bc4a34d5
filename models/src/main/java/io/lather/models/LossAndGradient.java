package io.lather.models;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The result of {@link Model#lossAndGradient}: <b>sums</b> over the rows of one batch.
 *
 * <p>For a batch of rows r with per-example loss ℓ_r(θ): {@code lossSum} = Σ_r ℓ_r(θ), {@code gradientSums}[p] =
 * Σ_r ∂ℓ_r/∂θ_p. The driver adds these over partitions and divides by the global batch size B to get the mean
 * loss and its gradient; because they are sums, any partitioning of the batch gives the same result (up to
 * floating-point rounding of the additions).
 *
 * @param lossSum      Σ_r ℓ_r over the batch; 0 for an empty batch
 * @param gradientSums per parameter, in the model's parameter order, the gradient sum with the parameter's shape,
 *                     in the model's precision; zeros for an empty batch. Unmodifiable; the arrays belong to the
 *                     caller
 * @param rows         number of rows in the batch
 * @param correctCount for classification, the number of rows whose arg-max prediction equals the label (ties go to
 *                     the lowest class index); 0 for other tasks
 */
public record LossAndGradient(double lossSum, Map<String, INDArray> gradientSums, long rows, long correctCount) {

    /**
     * Copies the gradient map into an unmodifiable, order-preserving one.
     *
     * @param lossSum      Σ_r ℓ_r over the batch; 0 for an empty batch
     * @param gradientSums per parameter, in the model's parameter order, the gradient sum with the parameter's shape,
     *                     in the model's precision; zeros for an empty batch. Unmodifiable; the arrays belong to the
     *                     caller
     * @param rows         number of rows in the batch
     * @param correctCount for classification, the number of rows whose arg-max prediction equals the label (ties go to
     *                     the lowest class index); 0 for other tasks
     */
    public LossAndGradient {
        gradientSums = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(gradientSums, "gradientSums")));
    }

    /**
     * The gradient sums as row-major {@code double[]}s (converted from float32 if the model computes in float32),
     * for aggregation across Spark partitions without ND4J objects.
     *
     * @return per parameter, in the model's parameter order, a new array of its values in C order
     */
    public Map<String, double[]> gradientSumsAsDoubles() {
        Map<String, double[]> out = new LinkedHashMap<>();
        gradientSums.forEach((name, g) -> out.put(name, g.dup('c').data().asDouble()));
        return out;
    }
}
