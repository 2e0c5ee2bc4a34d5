package io.lather.spark.ml;

import io.lather.models.Model;
import io.lather.models.ModelCache;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One-row predictions for the per-row entry points Spark calls ({@code predictRaw}, {@code predict}): each thread takes
 * its model from {@link ModelCache} and converts the parameters to ND4J arrays once, then reuses them for every row.
 * Not serializable; a model creates one lazily after it arrives on an executor.
 */
final class LocalPredictor {
    private final ModelState state;
    private final String stage;
    private final String featuresCol;
    private final ThreadLocal<Map<String, INDArray>> parameters = new ThreadLocal<>();

    LocalPredictor(ModelState state, String stage, String featuresCol) {
        this.state = state;
        this.stage = stage;
        this.featuresCol = featuresCol;
    }

    /** The model's output row for one features vector: K probabilities, or the regression outputs. */
    double[] predict(Vector features) {
        Model model = ModelCache.forCurrentThread(state.spec(), state.precision());
        Map<String, INDArray> p = parameters.get();
        if (p == null) {
            p = state.toParameters(model);
            parameters.set(p);
        }
        int dim = state.numFeatures();
        float[] x = new float[dim];
        Predictions.copyFeatures(stage, featuresCol, features, dim, x, 0);
        return Predictions.predict(model, p, x, 1);
    }
}
