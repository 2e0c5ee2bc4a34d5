package io.lather.spark.ml;

import io.lather.models.Model;
import io.lather.models.ModelCache;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The batched {@code transform}: each partition's rows go through the model {@value #BATCH_ROWS} at a time (one GEMM
 * chain per batch instead of one per row), against parameters broadcast once per model. Output rows are the input
 * values followed by the requested prediction columns, at the positions of the output schema.
 *
 * <p>The closure holds the broadcast handle, the spec and the column positions only — not the Spark model object.
 */
final class BatchPrediction implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    /** Rows per forward pass: large enough to amortise the graph call, small enough to stay in cache-sized arrays. */
    static final int BATCH_ROWS = 1024;

    private final Broadcast<ModelState> state;
    private final String stage;
    private final String featuresCol;
    private final int featuresIndex;
    private final int inputWidth;
    private final int outputWidth;
    private final int rawIndex;
    private final int probabilityIndex;
    private final int predictionIndex;
    private final double[] thresholds;

    /**
     * @param rawIndex output position of the raw prediction, or -1 (classifiers only)
     * @param probabilityIndex output position of the probabilities, or -1 (classifiers only)
     * @param predictionIndex output position of the prediction, or -1
     * @param thresholds class thresholds, or null
     */
    BatchPrediction(Broadcast<ModelState> state, String stage, String featuresCol, int featuresIndex, int inputWidth,
            int outputWidth, int rawIndex, int probabilityIndex, int predictionIndex, double[] thresholds) {
        this.state = state;
        this.stage = stage;
        this.featuresCol = featuresCol;
        this.featuresIndex = featuresIndex;
        this.inputWidth = inputWidth;
        this.outputWidth = outputWidth;
        this.rawIndex = rawIndex;
        this.probabilityIndex = probabilityIndex;
        this.predictionIndex = predictionIndex;
        this.thresholds = thresholds == null ? null : thresholds.clone();
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        return new Iterator<>() {
            private final ArrayDeque<Row> ready = new ArrayDeque<>();
            private Model model;
            private Map<String, INDArray> params;

            @Override
            public boolean hasNext() {
                if (ready.isEmpty() && input.hasNext()) {
                    if (model == null) {
                        ModelState s = state.value();
                        model = ModelCache.forCurrentThread(s.spec(), s.precision());
                        params = s.toParameters(model);
                    }
                    predictBatch(input, model, params, ready);
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }
        };
    }

    private void predictBatch(Iterator<Row> input, Model model, Map<String, INDArray> params, ArrayDeque<Row> out) {
        ModelState s = state.value();
        int dim = s.numFeatures();
        List<Row> rows = new ArrayList<>(BATCH_ROWS);
        while (rows.size() < BATCH_ROWS && input.hasNext()) {
            rows.add(input.next());
        }
        int n = rows.size();
        float[] x = new float[n * dim];
        for (int r = 0; r < n; r++) {
            Predictions.copyFeatures(stage, featuresCol, (Vector) rows.get(r).get(featuresIndex), dim, x, r * dim);
        }
        double[] y = Predictions.predict(model, params, x, n);
        int k = s.spec().outputDim();
        boolean classifier = s.numClasses() > 0;
        for (int r = 0; r < n; r++) {
            Row in = rows.get(r);
            Object[] values = new Object[outputWidth];
            for (int c = 0; c < inputWidth; c++) {
                values[c] = in.get(c);
            }
            if (classifier) {
                double[] raw = Predictions.raw(y, r, k);
                if (rawIndex >= 0) {
                    values[rawIndex] = Vectors.dense(raw.clone());
                }
                if (probabilityIndex >= 0) {
                    values[probabilityIndex] = Vectors.dense(Predictions.softmaxInPlace(raw.clone()));
                }
                if (predictionIndex >= 0) {
                    values[predictionIndex] = (double) Predictions.rawToPrediction(raw, thresholds);
                }
            } else if (predictionIndex >= 0) {
                values[predictionIndex] = y[r * k];
            }
            out.add(RowFactory.create(values));
        }
    }
}
